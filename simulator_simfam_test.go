package alidomain

import (
	"context"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/alidomaintest"
)

// The simulator's name server, lock and WHOIS privacy task writes, called
// through Client.Call and followed with Tasks.Wait: the details end as the
// simulator decides, and QueryDomainByDomainName shows the changes of the
// successful ones.
func TestSimulatorFamilyTaskWrites(t *testing.T) {
	type domainView struct {
		DnsList struct {
			Dns []string `json:"Dns"`
		} `json:"DnsList"`
		TransferProhibitionLock string `json:"TransferProhibitionLock"`
		UpdateProhibitionLock   string `json:"UpdateProhibitionLock"`
		DomainNameProxyService  bool   `json:"DomainNameProxyService"`
	}
	for _, tc := range []struct {
		action string
		params url.Values
		want   func(t *testing.T, ok, locked domainView)
	}{
		{"SaveBatchTaskForModifyingDomainDns",
			url.Values{"AliyunDns": {"false"}, "DomainNameServer.1": {"ns1.example.net"}, "DomainNameServer.2": {"ns2.example.net"}},
			func(t *testing.T, ok, locked domainView) {
				assert.Equal(t, []string{"ns1.example.net", "ns2.example.net"}, ok.DnsList.Dns)
				assert.Equal(t, alidomaintest.DefaultNameServers, locked.DnsList.Dns)
			}},
		{"SaveBatchTaskForTransferProhibitionLock", url.Values{"Status": {"true"}},
			func(t *testing.T, ok, locked domainView) {
				assert.Equal(t, "OPEN", ok.TransferProhibitionLock)
				assert.Equal(t, "CLOSE", locked.TransferProhibitionLock)
			}},
		{"SaveBatchTaskForUpdateProhibitionLock", url.Values{"Status": {"false"}},
			func(t *testing.T, ok, locked domainView) {
				assert.Equal(t, "CLOSE", ok.UpdateProhibitionLock)
				assert.Equal(t, "OPEN", locked.UpdateProhibitionLock)
			}},
		{"SaveBatchTaskForDomainNameProxyService", url.Values{"Status": {"true"}},
			func(t *testing.T, ok, locked domainView) {
				assert.True(t, ok.DomainNameProxyService)
				assert.False(t, locked.DomainNameProxyService)
			}},
	} {
		t.Run(tc.action, func(t *testing.T) {
			c, sim := simClient(t, []alidomaintest.Option{alidomaintest.WithTaskDuration(50 * time.Millisecond)})
			sim.AddDomain("ok.com", simExpiry, alidomaintest.UpdateLocked())
			sim.AddDomain("locked.com", simExpiry, alidomaintest.UpdateLocked())
			// The DNS change fails for a domain whose update lock is on;
			// the others fail as FailTasks scripts.
			if tc.action == "SaveBatchTaskForModifyingDomainDns" {
				sim.AddDomain("ok.com", simExpiry)
			} else {
				sim.FailTasks(tc.action, "locked.com", "registry refused")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()

			params := url.Values{"DomainName.1": {"ok.com"}, "DomainName.2": {"locked.com"}}
			for k, v := range tc.params {
				params[k] = v
			}
			var submitted struct{ TaskNo string }
			_, err := c.Call(ctx, &CallRequest{Action: tc.action, Params: params}, &submitted)
			require.NoError(t, err)
			require.NotEmpty(t, submitted.TaskNo)

			report, err := c.Tasks.Wait(ctx, submitted.TaskNo, &WaitOptions{PollInterval: 10 * time.Millisecond, MaxInterval: 20 * time.Millisecond})
			require.NoError(t, err)
			assert.Equal(t, 1, report.Counts.Succeeded, report.Counts)
			if failed := report.Failed(); assert.Len(t, failed, 1) {
				assert.Equal(t, "locked.com", failed[0].DomainName)
			}

			view := func(name string) domainView {
				var v domainView
				_, err := c.Call(ctx, &CallRequest{Action: "QueryDomainByDomainName", Params: url.Values{"DomainName": {name}}, Idempotent: true}, &v)
				require.NoError(t, err)
				return v
			}
			tc.want(t, view("ok.com"), view("locked.com"))
		})
	}
}
