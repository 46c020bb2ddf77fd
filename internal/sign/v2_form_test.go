package sign

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/internal/sign/signtest"
	"github.com/alidomain/alidomain/internal/wire"
)

// commonV2 returns the escaped, sorted common parameters of the V2 worked
// example (docs/wire.md, Signature V2), with extra ones added.
func commonV2(format string, extra map[string]string) wire.Params {
	v := url.Values{
		"AccessKeyId":      {"testid"},
		"Action":           {"SaveBatchTaskForCreatingOrderRedeem"},
		"Format":           {format},
		"SignatureMethod":  {"HMAC-SHA1"},
		"SignatureNonce":   {"edb2b34af0af9a6d14deaf7c1a5315eb"},
		"SignatureVersion": {"1.0"},
		"Timestamp":        {"2023-03-13T08:34:30Z"},
		"Version":          {"2018-01-29"},
	}
	for k, val := range extra {
		v.Set(k, val)
	}
	return wire.EncodeValues(v)
}

// docs/wire.md, Signature V2 and the V3 case B1: the body is the 209 bytes of the worked
// example, the URL carries the common parameters and the signature, and the
// signature is the one of the same parameters all in the query.
func TestSignV2FormWorkedExample(t *testing.T) {
	ps := wire.EncodeValues(signtest.RedeemParams())
	body := wire.AppendPairs(nil, ps)
	assert.Equal(t, signtest.RedeemBody, string(body))
	assert.Len(t, body, 209)
	assert.Equal(t, 209, wire.PairsLen(ps))

	tests := []struct {
		name   string
		common wire.Params
		sig    string
	}{
		{"(b) minimal set, Format=JSON", commonV2("JSON", nil), "ESpNAS8xX9tyNR/6LtN8lwHb8sc="},
		{"(a) v1 SDK set, RegionId and an empty SignatureType", commonV2("JSON", map[string]string{"RegionId": "cn-hangzhou", "SignatureType": ""}), "eXi+ticJlhcq22R4v6pG3N8d8S0="},
		{"(c) darabonba DoRPCRequest, Format=json", commonV2("json", nil), "stTswMzKxCbMkG4zgSBQga+ZSmI="},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sa := signV2Form("POST", "testsecret", tt.common, ps)
			query, body := sa.Query, sa.Body
			assert.Equal(t, signtest.RedeemBody, string(body))
			q, err := url.ParseQuery(query)
			require.NoError(t, err)
			assert.Equal(t, tt.sig, q.Get("Signature"))
			assert.Equal(t, string(wire.AppendPairs(nil, tt.common))+"&Signature="+wire.Escape(tt.sig), query)
			assert.NotContains(t, query, "OrderRedeemParam", "request parameters stay out of the URL")
			// Placement does not matter: all in the query signs the same.
			assert.Equal(t, tt.sig, signParams("POST", "testsecret", wire.Merge(tt.common, ps)))
		})
	}
}

// The body decodes, with any standard form decoder, back to the values;
// the signature over query and body equals the independent one over their
// union, for awkward values.
func TestSignV2FormMatchesReference(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []byte("abcXYZ019-_.~ *+/=&%:?#\n中文é🎉\x00\xff")
	for i := range 200 {
		vals := url.Values{}
		for j := range 1 + rng.IntN(10) {
			var b []byte
			for range rng.IntN(16) {
				b = append(b, alphabet[rng.IntN(len(alphabet))])
			}
			vals.Set(fmt.Sprintf("P%d.%d", j, rng.IntN(100)), string(b))
		}
		common := commonV2("JSON", map[string]string{"SignatureNonce": fmt.Sprint(i)})
		sa := signV2Form("POST", "s3cr&t", common, wire.EncodeValues(vals))
		query, body := sa.Query, sa.Body

		decoded, err := url.ParseQuery(string(body))
		require.NoError(t, err)
		assert.Equal(t, vals, decoded, "case %d", i)

		q, err := url.ParseQuery(query)
		require.NoError(t, err)
		union := url.Values{}
		for k, v := range q {
			if k != "Signature" {
				union[k] = v
			}
		}
		for k, v := range vals {
			union[k] = v
		}
		assert.Equal(t, signtest.Sign("POST", "s3cr&t", union), q.Get("Signature"), "case %d", i)
	}
}

// With nothing in the body the query is still well formed.
func TestSignV2FormEmpty(t *testing.T) {
	sa := signV2Form("POST", "testsecret", commonV2("JSON", nil), nil)
	query, body := sa.Query, sa.Body
	assert.Empty(t, body)
	q, err := url.ParseQuery(query)
	require.NoError(t, err)
	assert.Len(t, q, 9)
	assert.Equal(t, 0, wire.PairsLen(nil))
}
