package alidomain

import (
	"strings"
	"testing"
)

// FuzzDecodeSTSAnswer feeds arbitrary STS answers to the decoder: no panic,
// credentials only when complete, errors bounded and free of the secrets.
func FuzzDecodeSTSAnswer(f *testing.F) {
	f.Add(200, []byte(`{"RequestId":"r","Credentials":{"AccessKeyId":"STS.a","AccessKeySecret":"s","SecurityToken":"t","Expiration":"2030-01-01T00:00:00Z"}}`))
	f.Add(400, []byte(`{"RequestId":"r","Code":"SignatureDoesNotMatch","Message":"string to sign: SECRETVALUE"}`))
	f.Add(200, []byte(`{"Code":"Throttling.User","Message":"SECRETVALUE"}`))
	f.Add(502, []byte(`<html>SECRETVALUE</html>`))
	f.Add(200, []byte(`{"Credentials":{"AccessKeyId":"a"}}`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		c, _, err := decodeSTSAnswer("AssumeRole", status, body, stsScrubber(nil, []string{"SECRETVALUE"}))
		if err != nil {
			if strings.Contains(err.Error(), "SECRETVALUE") {
				t.Fatalf("error leaks a secret: %v", err)
			}
			if len(err.Error()) > 8*maxCredField {
				t.Fatalf("error of %d bytes", len(err.Error()))
			}
			return
		}
		if !c.valid() || c.SecurityToken == "" || c.Expiration.IsZero() {
			t.Fatalf("no error but incomplete credentials: %v", c)
		}
	})
}

// FuzzDecodeMetadataCredentials feeds arbitrary metadata and URI answers to
// the decoder: errors never quote the body.
func FuzzDecodeMetadataCredentials(f *testing.F) {
	f.Add([]byte(`{"Code":"Success","AccessKeyId":"a","AccessKeySecret":"SECRETVALUE","SecurityToken":"t","Expiration":"2030-01-01T00:00:00Z"}`), false)
	f.Add([]byte(`{"Code":"SECRETVALUE","AccessKeyId":"a"}`), true)
	f.Add([]byte(`{"AccessKeyId":"a","AccessKeySecret":"SECRETVALUE","SecurityToken":"t","Expiration":"SECRETVALUE"}`), true)
	f.Add([]byte(`SECRETVALUE`), false)
	f.Fuzz(func(t *testing.T, body []byte, codeOptional bool) {
		c, err := decodeMetadataCredentials("role", body, codeOptional)
		if err != nil {
			if strings.Contains(err.Error(), "SECRETVALUE") {
				t.Fatalf("error quotes the body: %v", err)
			}
			return
		}
		if !c.valid() || c.SecurityToken == "" || c.Expiration.IsZero() {
			t.Fatalf("no error but incomplete credentials: %v", c)
		}
	})
}
