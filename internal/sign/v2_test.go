package sign

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/sign/signtest"
	"github.com/alidomain/alidomain/internal/wire"
)

// The two published vectors, written out so that the test does not depend on
// the vector file for them.
func TestSignPublishedVectors(t *testing.T) {
	tests := []struct {
		name, method, sts, sig string
		params                 map[string]string
	}{
		{
			name:   "DescribeDedicatedHosts",
			method: "GET",
			params: map[string]string{
				"AccessKeyId": "testid", "Action": "DescribeDedicatedHosts", "Format": "JSON",
				"RegionId": "cn-beijing", "SignatureMethod": "HMAC-SHA1",
				"SignatureNonce": "edb2b34af0af9a6d14deaf7c1a5315eb", "SignatureVersion": "1.0",
				"Timestamp": "2023-03-13T08:34:30Z", "Version": "2014-05-26",
			},
			sts: "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts%26Format%3DJSON%26RegionId%3Dcn-beijing%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb%26SignatureVersion%3D1.0%26Timestamp%3D2023-03-13T08%253A34%253A30Z%26Version%3D2014-05-26",
			sig: "9NaGiOspFP5UPcwX8Iwt2YJXXuk=",
		},
		{
			name:   "DescribeRegions",
			method: "GET",
			params: map[string]string{
				"AccessKeyId": "testid", "Action": "DescribeRegions", "Format": "XML",
				"SignatureMethod": "HMAC-SHA1", "SignatureNonce": "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
				"SignatureVersion": "1.0", "Timestamp": "2016-02-23T12:46:24Z", "Version": "2014-05-26",
			},
			sts: "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
			sig: "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.sts, stringToSign(tt.method, tt.params))
			assert.Equal(t, tt.sig, signRaw(tt.method, "testsecret", tt.params))
			// A Signature among the inputs is not signed.
			with := map[string]string{"Signature": "ignored"}
			for k, v := range tt.params {
				with[k] = v
			}
			assert.Equal(t, tt.sig, signRaw(tt.method, "testsecret", with))
		})
	}
}

type vectorFile struct {
	Vectors []struct {
		Name           string            `json:"name"`
		Method         string            `json:"method"`
		Secret         string            `json:"secret"`
		Params         map[string]string `json:"params"`
		SameParamsAs   string            `json:"same_params_as"`
		CanonicalQuery string            `json:"canonical_query"`
		StringToSign   string            `json:"string_to_sign"`
		Signature      string            `json:"signature"`
	} `json:"vectors"`
}

// Every vector of the shared file: published ones and ones derived with the
// official runtime's signer (including the batch redeem call, POST and GET).
func TestSignVectorFile(t *testing.T) {
	data, err := os.ReadFile("testdata/signature-vectors.json")
	require.NoError(t, err)
	var vf vectorFile
	require.NoError(t, json.Unmarshal(data, &vf))
	require.GreaterOrEqual(t, len(vf.Vectors), 4)
	byName := map[string]map[string]string{}
	for _, v := range vf.Vectors {
		byName[v.Name] = v.Params
	}
	for _, v := range vf.Vectors {
		t.Run(v.Name, func(t *testing.T) {
			p := v.Params
			if v.SameParamsAs != "" {
				p = byName[v.SameParamsAs]
			}
			require.NotEmpty(t, p)
			if v.CanonicalQuery != "" {
				vals := url.Values{}
				for k, val := range p {
					vals.Set(k, val)
				}
				assert.Equal(t, v.CanonicalQuery, string(appendCanonical(nil, wire.EncodeValues(vals), nil)))
			}
			if v.StringToSign != "" {
				assert.Equal(t, v.StringToSign, stringToSign(v.Method, p))
			}
			assert.Equal(t, v.Signature, signRaw(v.Method, v.Secret, p))
			// And the independent implementation agrees.
			vals := url.Values{}
			for k, val := range p {
				vals.Set(k, val)
			}
			assert.Equal(t, v.Signature, signtest.Sign(v.Method, v.Secret, vals))
		})
	}
}

// Values with every awkward character are signed the same way as the
// independent implementation signs them.
func TestSignAwkwardValues(t *testing.T) {
	values := []string{"中文 值", "a b", "*star*", "~tilde~", "/slash/", "a+b", "k=v", "x&y", "100%", "émoji 🎉", "\n\t"}
	for _, v := range values {
		p := map[string]string{"Action": "X", "Value": v, "Key With Space": v}
		vals := url.Values{}
		for k, val := range p {
			vals.Set(k, val)
		}
		assert.Equal(t, signtest.StringToSign("POST", vals), stringToSign("POST", p), "value %q", v)
		assert.Equal(t, signtest.Sign("POST", "s3cr&t", vals), signRaw("POST", "s3cr&t", p), "value %q", v)
	}
}

func TestCanonicalMergesSortedLists(t *testing.T) {
	a := wire.Params{{Key: "A", Value: "1"}, {Key: "C", Value: "3"}, {Key: "E", Value: "5"}}
	b := wire.Params{{Key: "B", Value: "2"}, {Key: "D", Value: "4"}, {Key: "F", Value: "6"}}
	assert.Equal(t, "A=1&B=2&C=3&D=4&E=5&F=6", string(appendCanonical(nil, a, b)))
	assert.Equal(t, "A=1&B=2&C=3&D=4&E=5&F=6", string(appendCanonical(nil, b, a)))
	assert.Equal(t, "B=2&D=4&F=6", string(appendCanonical(nil, nil, b)))
	assert.Equal(t, "", string(appendCanonical(nil, nil, nil)))
}

// stringToSign returns the RPC v1 string to sign for raw (unencoded)
// parameters, "Signature" left out, through the request path's encoder; the
// request path itself signs without building this string.
func stringToSign(method string, raw map[string]string) string {
	v := make(url.Values, len(raw))
	for k, val := range raw {
		if k != "Signature" {
			v.Set(k, val)
		}
	}
	canonical := appendCanonical(nil, wire.EncodeValues(v), nil)
	var b strings.Builder
	b.WriteString(stringToSignPrefix(method))
	b.Write(wire.AppendEscape(nil, string(canonical)))
	return b.String()
}

// signRaw returns the RPC v1 signature of raw (unencoded) parameters,
// through the request path's encoder and signParams.
func signRaw(method, secret string, raw map[string]string) string {
	v := make(url.Values, len(raw))
	for k, val := range raw {
		if k != "Signature" {
			v.Set(k, val)
		}
	}
	return signParams(method, secret, wire.EncodeValues(v))
}

// appendCanonical appends the canonical query of a and b to dst.
func appendCanonical(dst []byte, a, b wire.Params) []byte {
	var w strings.Builder
	writeCanonical(&w, a, b)
	return append(dst, w.String()...)
}

// signParams returns the base64 HMAC-SHA1 signature, keyed with secret+"&",
// of the string to sign of the parameters ps, through crypto/hmac.
func signParams(method, secret string, ps wire.Params) string {
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	writeStringToSign(mac, method, ps, nil)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}
