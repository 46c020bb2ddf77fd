package alidomaintest

import (
	"net/url"
	"testing"
)

func TestPercentEncode(t *testing.T) {
	for in, want := range map[string]string{
		"":                       "",
		"AZaz09-_.~":             "AZaz09-_.~",
		"a b":                    "a%20b",
		"*":                      "%2A",
		"+":                      "%2B",
		"/":                      "%2F",
		"=&":                     "%3D%26",
		"2023-03-13T08:34:30Z":   "2023-03-13T08%3A34%3A30Z",
		"中文":                     "%E4%B8%AD%E6%96%87",
		"%":                      "%25",
		"\x00\xff":               "%00%FF",
		"example.com/x?y=1&z=*~": "example.com%2Fx%3Fy%3D1%26z%3D%2A~",
	} {
		if got := percentEncode(in); got != want {
			t.Errorf("percentEncode(%q) = %q, want %q", in, got, want)
		}
	}
}

// Vectors copied from the shared signature-vectors.json (published by
// Alibaba Cloud, and derived with the official runtime).
var (
	vectorPublished = map[string]string{
		"AccessKeyId":      "testid",
		"Action":           "DescribeDedicatedHosts",
		"Format":           "JSON",
		"RegionId":         "cn-beijing",
		"SignatureMethod":  "HMAC-SHA1",
		"SignatureNonce":   "edb2b34af0af9a6d14deaf7c1a5315eb",
		"SignatureVersion": "1.0",
		"Timestamp":        "2023-03-13T08:34:30Z",
		"Version":          "2014-05-26",
	}
	vectorRegions = map[string]string{
		"AccessKeyId":      "testid",
		"Action":           "DescribeRegions",
		"Format":           "XML",
		"SignatureMethod":  "HMAC-SHA1",
		"SignatureNonce":   "3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf",
		"SignatureVersion": "1.0",
		"Timestamp":        "2016-02-23T12:46:24Z",
		"Version":          "2014-05-26",
	}
	vectorRedeem = map[string]string{
		"AccessKeyId": "testid",
		"Action":      "SaveBatchTaskForCreatingOrderRedeem",
		"Format":      "JSON",
		"OrderRedeemParam.1.CurrentExpirationDate": "1700000000000",
		"OrderRedeemParam.1.DomainName":            "example.com",
		"OrderRedeemParam.2.CurrentExpirationDate": "1700086400000",
		"OrderRedeemParam.2.DomainName":            "example.net",
		"SignatureMethod":                          "HMAC-SHA1",
		"SignatureNonce":                           "edb2b34af0af9a6d14deaf7c1a5315eb",
		"SignatureVersion":                         "1.0",
		"Timestamp":                                "2023-03-13T08:34:30Z",
		"UseCoupon":                                "false",
		"Version":                                  "2018-01-29",
	}
)

func TestSignatureVectors(t *testing.T) {
	tests := []struct {
		name, method string
		params       map[string]string
		canonical    string
		sts          string
		sig          string
	}{
		{
			name: "published DescribeDedicatedHosts", method: "GET", params: vectorPublished,
			canonical: "AccessKeyId=testid&Action=DescribeDedicatedHosts&Format=JSON&RegionId=cn-beijing&SignatureMethod=HMAC-SHA1&SignatureNonce=edb2b34af0af9a6d14deaf7c1a5315eb&SignatureVersion=1.0&Timestamp=2023-03-13T08%3A34%3A30Z&Version=2014-05-26",
			sts:       "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeDedicatedHosts%26Format%3DJSON%26RegionId%3Dcn-beijing%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb%26SignatureVersion%3D1.0%26Timestamp%3D2023-03-13T08%253A34%253A30Z%26Version%3D2014-05-26",
			sig:       "9NaGiOspFP5UPcwX8Iwt2YJXXuk=",
		},
		{
			name: "published DescribeRegions", method: "GET", params: vectorRegions,
			sts: "GET&%2F&AccessKeyId%3Dtestid%26Action%3DDescribeRegions%26Format%3DXML%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D3ee8c1b8-83d3-44af-a94f-4e0ad82fd6cf%26SignatureVersion%3D1.0%26Timestamp%3D2016-02-23T12%253A46%253A24Z%26Version%3D2014-05-26",
			sig: "OLeaidS1JvxuMvnyHOwuJ+uX5qY=",
		},
		{
			name: "derived redeem POST", method: "POST", params: vectorRedeem,
			sts: "POST&%2F&AccessKeyId%3Dtestid%26Action%3DSaveBatchTaskForCreatingOrderRedeem%26Format%3DJSON%26OrderRedeemParam.1.CurrentExpirationDate%3D1700000000000%26OrderRedeemParam.1.DomainName%3Dexample.com%26OrderRedeemParam.2.CurrentExpirationDate%3D1700086400000%26OrderRedeemParam.2.DomainName%3Dexample.net%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3Dedb2b34af0af9a6d14deaf7c1a5315eb%26SignatureVersion%3D1.0%26Timestamp%3D2023-03-13T08%253A34%253A30Z%26UseCoupon%3Dfalse%26Version%3D2018-01-29",
			sig: "ESpNAS8xX9tyNR/6LtN8lwHb8sc=",
		},
		{name: "derived redeem GET", method: "GET", params: vectorRedeem, sig: "zhxs7L8Zi/Ho2H5TmbBFTcH22tY="},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			// Signature itself must be ignored when present.
			p := map[string]string{"Signature": "ignored"}
			for k, v := range tc.params {
				p[k] = v
			}
			if tc.canonical != "" {
				if got := canonicalQuery(p); got != tc.canonical {
					t.Errorf("canonical =\n%s\nwant\n%s", got, tc.canonical)
				}
			}
			sts := stringToSign(tc.method, p)
			if tc.sts != "" && sts != tc.sts {
				t.Errorf("string to sign =\n%s\nwant\n%s", sts, tc.sts)
			}
			if got := signString("testsecret", sts); got != tc.sig {
				t.Errorf("signature = %s, want %s", got, tc.sig)
			}
			// The test helper must agree too, or the other tests prove nothing.
			v := url.Values{}
			for k, x := range tc.params {
				v.Set(k, x)
			}
			if got := testSign(tc.method, "testsecret", v); got != tc.sig {
				t.Errorf("testSign = %s, want %s", got, tc.sig)
			}
		})
	}
}

func TestHMACVectors(t *testing.T) {
	for _, tc := range []struct{ data, key, sig string }{
		{"source", "secret", "Jv4yi8SobFhg5t1C7nWLbhBSFZQ="},
		{"中文", "secret", "CqCYIa39h9SSWuXnTz8F5hh9UPA="},
	} {
		if got := hmacBase64(tc.key, tc.data); got != tc.sig {
			t.Errorf("HMAC(%q, %q) = %s, want %s", tc.key, tc.data, got, tc.sig)
		}
	}
}
