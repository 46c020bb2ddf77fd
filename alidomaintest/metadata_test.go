package alidomaintest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// mdClock is a settable clock.
type mdClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *mdClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *mdClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// mdDo sends a request to the fake and returns the status and body.
func mdDo(t *testing.T, method, url string, header map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(method, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

type sinkRecorder struct {
	mu  sync.Mutex
	ids []string
}

func (s *sinkRecorder) AddCredentials(id, secret, token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ids = append(s.ids, id)
}

func TestMetadataServerIMDSv2(t *testing.T) {
	clock := &mdClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	sink := &sinkRecorder{}
	m := NewMetadataServer(MetadataOptions{RoleName: "r", Clock: clock.now, Lifetime: time.Hour, IssueTo: []CredentialSink{sink}})
	defer m.Close()

	// The token request needs its TTL header, in range, and PUT.
	if st, _ := mdDo(t, "PUT", m.URL+"/latest/api/token", nil); st != 400 {
		t.Errorf("no TTL: %d", st)
	}
	if st, _ := mdDo(t, "PUT", m.URL+"/latest/api/token", map[string]string{"X-aliyun-ecs-metadata-token-ttl-seconds": "21601"}); st != 400 {
		t.Errorf("TTL too long: %d", st)
	}
	if st, _ := mdDo(t, "GET", m.URL+"/latest/api/token", map[string]string{"X-aliyun-ecs-metadata-token-ttl-seconds": "60"}); st != 405 {
		t.Errorf("GET token: %d", st)
	}
	st, short := mdDo(t, "PUT", m.URL+"/latest/api/token", map[string]string{"X-aliyun-ecs-metadata-token-ttl-seconds": "60"})
	if st != 200 || short == "" {
		t.Fatalf("token: %d %q", st, short)
	}
	st, tok := mdDo(t, "PUT", m.URL+"/latest/api/token", map[string]string{"X-aliyun-ecs-metadata-token-ttl-seconds": "21600"})
	if st != 200 || tok == "" || tok == short {
		t.Fatalf("token: %d %q", st, tok)
	}
	h := map[string]string{"X-aliyun-ecs-metadata-token": tok}
	if st, body := mdDo(t, "GET", m.URL+credsPath, h); st != 200 || body != "r" {
		t.Errorf("role: %d %q", st, body)
	}
	st, body := mdDo(t, "GET", m.URL+credsPath+"r", h)
	var c struct{ Code, AccessKeyId, AccessKeySecret, SecurityToken, Expiration string }
	if err := json.Unmarshal([]byte(body), &c); st != 200 || err != nil || c.Code != "Success" || c.AccessKeySecret == "" || c.SecurityToken == "" {
		t.Fatalf("credentials: %d %s", st, body)
	}
	if c.Expiration != "2026-01-01T01:00:00Z" {
		t.Errorf("Expiration %s", c.Expiration)
	}
	if id, _ := m.Current(); id != c.AccessKeyId || len(sink.ids) != 1 || sink.ids[0] != id {
		t.Errorf("current %s, sink %v", id, sink.ids)
	}
	if st, _ := mdDo(t, "GET", m.URL+credsPath+"other", h); st != 404 {
		t.Errorf("other role: %d", st)
	}
	if st, _ := mdDo(t, "GET", m.URL+credsPath, map[string]string{"X-aliyun-ecs-metadata-token": "forged"}); st != 401 {
		t.Errorf("forged token: %d", st)
	}

	// The same credentials until half their life, then new ones.
	clock.add(29 * time.Minute)
	if _, b := mdDo(t, "GET", m.URL+credsPath+"r", h); !strings.Contains(b, c.AccessKeyId) {
		t.Error("rotated too early")
	}
	// A session token expires after its TTL.
	if st, _ := mdDo(t, "GET", m.URL+credsPath+"r", map[string]string{"X-aliyun-ecs-metadata-token": short}); st != 401 {
		t.Errorf("expired token: %d", st)
	}
	clock.add(2 * time.Minute)
	if st, b := mdDo(t, "GET", m.URL+credsPath+"r", nil); st != 200 || strings.Contains(b, c.AccessKeyId) {
		t.Errorf("IMDSv1 after half-life: %d, rotated %v", st, !strings.Contains(b, c.AccessKeyId))
	}
	s := m.Stats()
	if s.TokenRequests != 5 || s.IMDSv1Requests != 1 || s.Issued != 2 || s.CredentialRequests != 3 {
		t.Errorf("stats %+v", s)
	}
}

func TestMetadataServerFaults(t *testing.T) {
	m := NewMetadataServer(MetadataOptions{IMDSv1Disabled: true})
	defer m.Close()
	if st, _ := mdDo(t, "GET", m.URL+credsPath, nil); st != 403 {
		t.Errorf("hardened mode, no token: %d", st)
	}
	m.FailNext(2)
	for i := 0; i < 2; i++ {
		if st, _ := mdDo(t, "PUT", m.URL+"/latest/api/token", map[string]string{"X-aliyun-ecs-metadata-token-ttl-seconds": "60"}); st != 500 {
			t.Errorf("fault %d: %d", i, st)
		}
	}
	if st, _ := mdDo(t, "PUT", m.URL+"/latest/api/token", map[string]string{"X-aliyun-ecs-metadata-token-ttl-seconds": "60"}); st != 200 {
		t.Errorf("after the faults: %d", st)
	}
	old := NewMetadataServer(MetadataOptions{NoIMDSv2: true, NoRole: true})
	defer old.Close()
	if st, _ := mdDo(t, "PUT", old.URL+"/latest/api/token", map[string]string{"X-aliyun-ecs-metadata-token-ttl-seconds": "60"}); st != 404 {
		t.Errorf("no IMDSv2: %d", st)
	}
	if st, _ := mdDo(t, "GET", old.URL+credsPath, nil); st != 404 {
		t.Errorf("no role: %d", st)
	}
}
