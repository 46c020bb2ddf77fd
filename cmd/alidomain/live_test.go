package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/alidomain/alidomain/alidomaintest"
)

// TestRealServicePathWithProfile runs the built binary without --simulate
// against a simulator in this test process (loopback), with the keys of
// --profile from an aliyun CLI config file, both signatures and --rate.
func TestRealServicePathWithProfile(t *testing.T) {
	sim := alidomaintest.NewServer()
	defer sim.Close()
	seedDemo(sim)
	cfg := filepath.Join(t.TempDir(), "config.json")
	body := fmt.Sprintf(`{"current":"other","profiles":[{"name":"other","mode":"AK","access_key_id":"nope","access_key_secret":"nope"},`+
		`{"name":"ops","mode":"AK","access_key_id":%q,"access_key_secret":%q}]}`, sim.AccessKeyID, sim.AccessKeySecret)
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	env := []string{"ALIBABA_CLOUD_CONFIG_FILE=" + cfg, "ALIBABA_CLOUD_CREDENTIALS_FILE=" + filepath.Join(t.TempDir(), "none"),
		"ALIBABA_CLOUD_ECS_METADATA_DISABLED=true", "ALIBABA_CLOUD_PROFILE=", "ALIBABA_CLOUD_ROLE_ARN=", "ALIBABA_CLOUD_CREDENTIALS_URI="}
	for _, sig := range []string{"v2", "v3"} {
		r := runBin(t, env, "", "--endpoint", sim.URL, "--profile", "ops", "--signature", sig, "--rate", "50", "renew", "acme-shop.com", "--yes", "--json")
		expectCode(t, r, exitOK)
		if doc := decode(t, r); doc["simulated"] != false {
			t.Errorf("simulated: %v", doc["simulated"])
		}
	}
	if n := sim.OrdersOf(alidomaintest.KindRenew, "acme-shop.com"); n != 2 {
		t.Errorf("%d renewals, want 2", n)
	}
	// The file's current profile has wrong keys: the service refuses them,
	// before anything is ordered.
	r := runBin(t, env, "", "--endpoint", sim.URL, "domains")
	expectCode(t, r, exitUsage)
	if strings.Contains(r.stderr, sim.AccessKeySecret) {
		t.Error("a secret in the output")
	}
}

func TestIntlEndpointAndCurrency(t *testing.T) {
	a := &app{stdout: &bytes.Buffer{}, stderr: &bytes.Buffer{}, intl: true, signature: "v2", output: "table", timeout: time.Minute}
	if err := a.checkGlobals(); err != nil {
		t.Fatal(err)
	}
	c, err := a.getClient()
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Options().Endpoint; got != IntlEndpoint || a.currency != "USD" {
		t.Errorf("--intl: endpoint %q, currency %q", got, a.currency)
	}
}

// TestTimeoutWhileFollowingExit3: the order stands when --timeout ends the
// wait; the report says how to resume.
func TestTimeoutWhileFollowingExit3(t *testing.T) {
	sim := demoSim(t, alidomaintest.WithTaskDuration(time.Hour))
	r := runIn(t, sim, false, "renew", "acme-shop.com", "--yes", "--timeout", "300ms", "--json")
	expectCode(t, r, exitUnknown)
	d := domainsOf(t, decode(t, r))["acme-shop.com"]
	if d["status"] != stSubmitted || !strings.Contains(d["message"].(string), "alidomain tasks wait "+d["task"].(string)) {
		t.Errorf("%v", d)
	}
	if sim.OrdersOf(alidomaintest.KindRenew, "acme-shop.com") != 1 {
		t.Error("not one order")
	}
}
