package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
	"github.com/alidomain/alidomain/internal/demo"
)

// withoutPrice runs the demo through a proxy in front of the simulator that
// removes the Price of domain from every QueryDomainRealTimePrice answer
// (as a service that quotes no price does), and returns what run returns.
func withoutPrice(t *testing.T, domain string) (int, string, string, *alidomaintest.Server) {
	t.Helper()
	var sim *alidomaintest.Server
	saved := newClient
	t.Cleanup(func() { newClient = saved })
	newClient = func(s demo.Setup, _ io.Writer) (*alidomain.Client, string, func(), error) {
		sim = alidomaintest.NewServer(alidomaintest.WithTaskDuration(s.SimDelay))
		s.Seed(sim)
		target, err := url.Parse(sim.URL)
		require.NoError(t, err)
		rp := httputil.NewSingleHostReverseProxy(target)
		rp.ModifyResponse = func(resp *http.Response) error {
			if resp.Request.URL.Query().Get("Action") != "QueryDomainRealTimePrice" {
				return nil
			}
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				return err
			}
			var m map[string]any
			require.NoError(t, json.Unmarshal(body, &m), "%s", body)
			for _, p := range m["Module"].(map[string]any)["DomainPrices"].([]any) {
				if p := p.(map[string]any); p["DomainName"] == domain {
					delete(p, "Price")
				}
			}
			body, _ = json.Marshal(m)
			resp.Body = io.NopCloser(bytes.NewReader(body))
			resp.ContentLength = int64(len(body))
			resp.Header.Set("Content-Length", strconv.Itoa(len(body)))
			return nil
		}
		proxy := httptest.NewServer(rp)
		c, err := alidomain.New(alidomain.Options{Endpoint: proxy.URL, Credentials: alidomain.StaticCredentials(sim.AccessKeyID, sim.AccessKeySecret)})
		require.NoError(t, err)
		return c, "simulator", func() { proxy.Close(); sim.Close() }, nil
	}
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	code := run(ctx, []string{"-poll", "20ms", "-sim-delay", "150ms", "-timeout", "30s"}, &out, &errOut, seedDemo)
	return code, out.String(), errOut.String(), sim
}

// A domain the service quotes no price for is neither added to the total
// (as 0) nor ordered (issue 17, item 6).
func TestMissingPriceIsNotTotalledNorOrdered(t *testing.T) {
	code, out, errOut, sim := withoutPrice(t, "acme-blog.net")
	require.Equal(t, exitFailed, code, errOut)
	row := tableRow(t, out, "acme-blog.net")
	assert.Equal(t, statusSkipped, row[colStatus])
	assert.Contains(t, row[len(row)-1], "no price")
	assert.Equal(t, 0, sim.OrdersOf(alidomaintest.KindRenew, "acme-blog.net"), "an unpriced domain was ordered")
	assert.Equal(t, 1, sim.OrdersOf(alidomaintest.KindRenew, "acme-shop.com"))
	// 12.99 + 5.25: the quote and the report leave the unpriced domain out.
	assert.Contains(t, errOut, "total 18.24 USD")
	assert.Contains(t, out, "total 18.24 USD; 2 succeeded, 0 failed, 1 other")
}
