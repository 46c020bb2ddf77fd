package alidomain

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alidomain/alidomain/internal/wire"
)

// FuzzParseAPIError feeds arbitrary bodies to the error decoder: it must not
// panic, must keep the status and must give a bounded one-line message.
func FuzzParseAPIError(f *testing.F) {
	f.Add(400, []byte(`{"Code":"Throttling.User","Message":"m","RequestId":"r"}`))
	f.Add(500, []byte(`<?xml version="1.0"?><Error><Code>InternalError</Code><Message>x</Message></Error>`))
	f.Add(502, []byte("<html>bad gateway</html>"))
	f.Add(404, []byte{})
	f.Add(503, []byte{0xff, 0xfe, '\n', '{'})
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		e := parseAPIError("A", status, body)
		if e.HTTPStatus != status || e.Action != "A" {
			t.Fatalf("lost status or action: %+v", e)
		}
		msg := e.Error()
		if strings.ContainsAny(msg, "\r\n") {
			t.Fatalf("multi-line error: %q", msg)
		}
		if e.Code == "" && len(e.Message) > maxExcerpt+3 {
			t.Fatalf("excerpt too long: %d bytes", len(e.Message))
		}
		if e.Code == "" && !utf8.ValidString(e.Message) {
			t.Fatalf("excerpt is not valid UTF-8: %q", e.Message)
		}
	})
}

// FuzzDecodeSubmitResponse feeds arbitrary bodies to the success decoder:
// it must sniff the format as encoding/json or encoding/xml alone would
// decode the body (same error-ness, same fields), refuse anything else, and
// check must accept exactly the answers that carry a TaskNo.
func FuzzDecodeSubmitResponse(f *testing.F) {
	f.Add([]byte(`{"RequestId":"R","TaskNo":"T"}`))
	f.Add([]byte(` <R><RequestId>R</RequestId><TaskNo>T</TaskNo></R>`))
	f.Add([]byte(`{"TaskNo":12}`))
	f.Add([]byte(`{"RequestId":"R"}`))
	f.Add([]byte(` `))
	f.Add([]byte(`[1]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var got submitResponse
		err := sniffDecode(body, &got)
		var want submitResponse
		var wantErr error
		switch trimmed := bytes.TrimLeft(body, " \t\r\n"); {
		case len(trimmed) == 0:
			wantErr = errors.New("empty")
		case trimmed[0] == '<':
			if wantErr = wire.CheckXMLDepth(trimmed); wantErr == nil {
				wantErr = xml.Unmarshal(trimmed, &want)
			}
		case trimmed[0] != '{':
			wantErr = errors.New("not a JSON object")
		default:
			wantErr = json.Unmarshal(trimmed, &want)
		}
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("wire.DecodeBody(%q): err %v, the plain decoder: %v", body, err, wantErr)
		}
		if err != nil {
			return
		}
		if got != want {
			t.Fatalf("wire.DecodeBody(%q) = %+v, the plain decoder gives %+v", body, got, want)
		}
		if (got.check() == nil) != (got.TaskNo != "") {
			t.Fatalf("check() = %v for TaskNo %q", got.check(), got.TaskNo)
		}
	})
}

// FuzzCheckDomainName checks invariants of the domain name validator.
func FuzzCheckDomainName(f *testing.F) {
	for _, s := range []string{"example.com", "例子.中国", "xn--fsqu00a.xn--fiqs8s", "a..b", " a.com", "", "-a.com", "a.com."} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if checkDomainName(s) != "" {
			return
		}
		switch {
		case len(s) > 253, !utf8.ValidString(s), strings.ContainsAny(s, " \t\r\n/&=?*_@:"),
			strings.Contains(s, ".."), strings.HasPrefix(s, "."), strings.HasSuffix(s, "."),
			!strings.Contains(s, "."):
			t.Fatalf("accepted invalid domain name %q", s)
		}
	})
}

// FuzzParseINICredentials feeds arbitrary files to the INI parser: no panic,
// and an error never quotes the file's content.
func FuzzParseINICredentials(f *testing.F) {
	f.Add([]byte("[default]\ntype = access_key\naccess_key_id = id\naccess_key_secret = SECRETVALUE\n"), "")
	f.Add([]byte("[x\nSECRETVALUE"), "x")
	f.Add([]byte("access_key_secret=SECRETVALUE"), "default")
	f.Fuzz(func(t *testing.T, data []byte, profile string) {
		c, err := parseINICredentials("file", data, profile)
		if err != nil {
			// Errors may name the profile and its type; the secret is elsewhere.
			if strings.Contains(profile, "SECRETVALUE") {
				return
			}
			for _, line := range strings.Split(string(data), "\n") {
				if k, v, ok := strings.Cut(line, "="); ok && strings.TrimSpace(k) == "type" && strings.Contains(v, "SECRETVALUE") {
					return
				}
			}
			if strings.Contains(err.Error(), "SECRETVALUE") {
				t.Fatalf("error leaks file content: %v", err)
			}
			return
		}
		if !c.valid() {
			t.Fatalf("no error but incomplete credentials: %v", c)
		}
	})
}

// FuzzParseCLIConfig feeds arbitrary files to the CLI config parser.
func FuzzParseCLIConfig(f *testing.F) {
	f.Add([]byte(`{"current":"default","profiles":[{"name":"default","mode":"AK","access_key_id":"id","access_key_secret":"SECRETVALUE"}]}`), "")
	f.Add([]byte(`{"profiles":[{"mode":"StsToken","access_key_secret":"SECRETVALUE"`), "")
	f.Fuzz(func(t *testing.T, data []byte, profile string) {
		c, err := parseCLIConfig("file", data, profile)
		if err != nil {
			// Errors may name the profile and its mode; the secret is elsewhere.
			var cfg cliConfig
			_ = json.Unmarshal(data, &cfg)
			named := profile + cfg.Current
			for _, p := range cfg.Profiles {
				named += p.Mode
			}
			if strings.Contains(named, "SECRETVALUE") {
				return
			}
			if strings.Contains(err.Error(), "SECRETVALUE") {
				t.Fatalf("error leaks file content: %v", err)
			}
			return
		}
		if !c.valid() {
			t.Fatalf("no error but incomplete credentials: %v", c)
		}
	})
}
