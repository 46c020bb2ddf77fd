package alidomain

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/alidomaintest"
)

func TestSetAutoRenewParams(t *testing.T) {
	c, ts := setup(t)
	ts.reply("SetupDomainAutoRenew", 200, `{"RequestId":"R-A","Result":true}`)
	m, err := c.Domains.SetAutoRenew(context.Background(), "S2019270W570xxxx", true)
	require.NoError(t, err)
	require.Equal(t, Meta{RequestID: "R-A", Attempts: 1}, m)
	_, err = c.Domains.SetAutoRenew(context.Background(), "S2019270W570xxxx", false)
	require.NoError(t, err)
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	assertParams(t, commonParams("SetupDomainAutoRenew", map[string]string{"InstanceId": "S2019270W570xxxx", "Operation": "SET"}), reqs[0].Query)
	assertParams(t, commonParams("SetupDomainAutoRenew", map[string]string{"InstanceId": "S2019270W570xxxx", "Operation": "CANCEL"}), reqs[1].Query)
}

func TestSetAutoRenewResult(t *testing.T) {
	// Result false, or none, is an error; "true" as a string and XML decode.
	for _, tc := range []struct {
		body, want string
	}{
		{`{"RequestId":"R","Result":false}`, "Result false"},
		{`{"RequestId":"R","Result":"false"}`, "Result false"},
		{`{"RequestId":"R"}`, "no Result"},
		{`{"RequestId":"R","Result":"maybe"}`, "not a boolean"},
	} {
		c, ts := setup(t)
		ts.reply("SetupDomainAutoRenew", 200, tc.body)
		_, err := c.Domains.SetAutoRenew(context.Background(), "S1", true)
		require.ErrorContains(t, err, tc.want, tc.body)
		require.Len(t, ts.requests(), 1, "an answer is not retried")
	}
	c, ts := setup(t, func(o *Options) { o.Format = "XML" })
	ts.reply("SetupDomainAutoRenew", 200, `<SetupDomainAutoRenewResponse><RequestId>R-X</RequestId><Result>true</Result></SetupDomainAutoRenewResponse>`)
	m, err := c.Domains.SetAutoRenew(context.Background(), "S1", false)
	require.NoError(t, err)
	require.Equal(t, "R-X", m.RequestID)
}

// A setting is idempotent: retried on 5xx as reads are, never an unknown
// outcome.
func TestSetAutoRenewIsRetried(t *testing.T) {
	c, ts := setup(t)
	ts.script("SetupDomainAutoRenew",
		[2]any{500, `{"Code":"InternalError","Message":"x","RequestId":"R1"}`},
		[2]any{200, `{"RequestId":"R2","Result":true}`})
	m, err := c.Domains.SetAutoRenew(context.Background(), "S1", true)
	require.NoError(t, err)
	require.Equal(t, 2, m.Attempts)
	require.Equal(t, "R2", m.RequestID)
	require.Len(t, ts.requests(), 2)
}

func TestSetAutoRenewValidation(t *testing.T) {
	c, ts := setup(t)
	for _, id := range []string{"", "  ", "S1 S2", "S1\n"} {
		_, err := c.Domains.SetAutoRenew(context.Background(), id, true)
		requireValidationField(t, err, "instanceID")
	}
	require.Empty(t, ts.requests())
}

// On the simulator the setting shows in QueryDomainList as Domain.AutoRenew.
func TestSetAutoRenewOnSimulator(t *testing.T) {
	for _, format := range []string{"JSON", "XML"} {
		c, sim := simClient(t, nil, func(o *Options) { o.Format = format })
		sim.AddDomain("a.com", simExpiry, alidomaintest.Normal(), alidomaintest.InstanceID("S-A"))
		sim.AddDomain("b.com", simExpiry, alidomaintest.Normal(), alidomaintest.InstanceID("S-B"), alidomaintest.AutoRenew())
		autoRenew := func() map[string]bool {
			out := map[string]bool{}
			for d, err := range c.Domains.ListIter(context.Background(), nil) {
				require.NoError(t, err)
				out[d.DomainName] = d.AutoRenew
			}
			return out
		}
		require.Equal(t, map[string]bool{"a.com": false, "b.com": true}, autoRenew(), format)
		_, err := c.Domains.SetAutoRenew(context.Background(), "S-A", true)
		require.NoError(t, err)
		_, err = c.Domains.SetAutoRenew(context.Background(), "S-B", false)
		require.NoError(t, err)
		_, err = c.Domains.SetAutoRenew(context.Background(), "S-B", false) // again: harmless
		require.NoError(t, err)
		require.Equal(t, map[string]bool{"a.com": true, "b.com": false}, autoRenew(), format)

		_, err = c.Domains.SetAutoRenew(context.Background(), "S-UNKNOWN", true)
		var ae *APIError
		require.ErrorAs(t, err, &ae)
	}
}

func TestDomainListAutoRenew(t *testing.T) {
	c, ts := setup(t)
	ts.reply("QueryDomainList", 200, `{"RequestId":"R","TotalItemNum":2,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":20,
		"Data":{"Domain":[{"DomainName":"a.com","ExpirationDateLong":1828170133123,"AutoRenewEnabled":true},{"DomainName":"b.com","ExpirationDateLong":1828170133123,"AutoRenewEnabled":"false"}]}}`)
	p, err := c.Domains.List(context.Background(), nil)
	require.NoError(t, err)
	require.True(t, p.Items[0].AutoRenew)
	require.False(t, p.Items[1].AutoRenew)
}
