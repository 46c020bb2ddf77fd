package alidomain

import (
	"context"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

// Options.Lang goes with every action whose API has a Lang parameter, and
// never with QueryDomainRealTimePrice and SetupDomainAutoRenew, which have
// none (docs/wire.md, Lang). Every typed action is called once; the test server
// answers none of them, so each sends exactly one request.
func TestOptionsLangOnlyWhereTheAPIHasLang(t *testing.T) {
	c, ts := setup(t, func(o *Options) { o.Lang = "zh" })
	ctx := context.Background()
	renew := RenewDomain{DomainName: "a.com", CurrentExpirationDate: exp1}
	transfer := TransferDomain{DomainName: "a.com", AuthorizationCode: "code", RegistrantProfileID: 1}
	register := RegisterDomain{DomainName: "a.com", RegistrantProfileID: 1}
	calls := map[string]func() error{
		"SaveBatchTaskForCreatingOrderRedeem": func() error { _, err := c.Redeem.SubmitBatch(ctx, twoDomains()); return err },
		"SaveSingleTaskForCreatingOrderRedeem": func() error {
			_, err := c.Redeem.Submit(ctx, &RedeemRequest{DomainName: "a.com", CurrentExpirationDate: exp1})
			return err
		},
		"SaveBatchTaskForCreatingOrderRenew": func() error {
			_, err := c.Renew.SubmitBatch(ctx, &BatchRenewRequest{Domains: []RenewDomain{renew}})
			return err
		},
		"SaveSingleTaskForCreatingOrderRenew": func() error {
			_, err := c.Renew.Submit(ctx, &RenewRequest{DomainName: "a.com", CurrentExpirationDate: exp1})
			return err
		},
		"SaveBatchTaskForCreatingOrderTransfer": func() error {
			_, err := c.Transfer.SubmitBatch(ctx, &BatchTransferRequest{Domains: []TransferDomain{transfer}})
			return err
		},
		"SaveSingleTaskForCreatingOrderTransfer": func() error {
			_, err := c.Transfer.Submit(ctx, &TransferRequest{TransferDomain: transfer})
			return err
		},
		"SaveBatchTaskForCreatingOrderActivate": func() error {
			_, err := c.Register.SubmitBatch(ctx, &BatchRegisterRequest{Domains: []RegisterDomain{register}})
			return err
		},
		"SaveSingleTaskForCreatingOrderActivate": func() error {
			_, err := c.Register.Submit(ctx, &RegisterRequest{RegisterDomain: register})
			return err
		},
		"QueryDomainList":     func() error { _, err := c.Domains.List(ctx, nil); return err },
		"QueryTaskList":       func() error { _, err := c.Tasks.List(ctx, nil); return err },
		"QueryTaskDetailList": func() error { _, err := c.Tasks.ListDetails(ctx, &ListTaskDetailsRequest{TaskNo: "T"}); return err },
		"CheckDomain":         func() error { _, err := c.Domains.Check(ctx, &CheckDomainRequest{DomainName: "a.com"}); return err },
		"QueryDomainByDomainName": func() error {
			_, err := c.Domains.Get(ctx, &GetDomainRequest{DomainName: "a.com"})
			return err
		},
		"QueryDomainRealTimePrice": func() error {
			_, err := c.Domains.Price(ctx, &PriceRequest{Currency: "USD", Items: []PriceItem{{Action: PriceRenew, DomainName: "a.com"}}})
			return err
		},
		"SetupDomainAutoRenew": func() error { _, err := c.Domains.SetAutoRenew(ctx, "S1", true); return err },
	}
	noLang := map[string]bool{"QueryDomainRealTimePrice": true, "SetupDomainAutoRenew": true}
	for action, f := range calls {
		n := len(ts.requests())
		require.ErrorContains(t, f(), "InvalidAction.NotFound", action)
		reqs := ts.requests()
		require.Len(t, reqs, n+1, action)
		got := reqs[n]
		require.Equal(t, action, got.Action)
		if noLang[action] {
			require.NotContains(t, got.Query, "Lang", "%s has no Lang in its API", action)
		} else {
			require.Equal(t, []string{"zh"}, got.Query["Lang"], action)
		}
	}

	// The exact parameters of the two, with Options.Lang set.
	reqs := ts.requests()
	for _, r := range reqs {
		switch r.Action {
		case "QueryDomainRealTimePrice":
			assertParams(t, commonParams(r.Action, map[string]string{"Currency": "USD", "DomainItem": `[{"Action":"renew","DomainName":"a.com"}]`}), r.Query)
		case "SetupDomainAutoRenew":
			assertParams(t, commonParams(r.Action, map[string]string{"InstanceId": "S1", "Operation": "SET"}), r.Query)
		}
	}

	// Per call too: a per-call Options.Lang is not sent to them either.
	_, err := c.Domains.SetAutoRenew(ctx, "S1", false, func(o *Options) { o.Lang = "en" })
	require.Error(t, err)
	last := ts.requests()[len(ts.requests())-1]
	assertParams(t, commonParams("SetupDomainAutoRenew", map[string]string{"InstanceId": "S1", "Operation": "CANCEL"}), last.Query)
}

// Client.Call sends Options.Lang unless Params has Lang; an empty Lang in
// Params sends none, for an action whose API has no Lang.
func TestCallEmptyLangSendsNone(t *testing.T) {
	c, ts := setup(t, func(o *Options) { o.Lang = "zh" })
	ts.reply("SetupDomainAutoRenew", 200, `{"RequestId":"R","Result":true}`)
	for _, tc := range []struct {
		params url.Values
		want   []string
	}{
		{url.Values{"InstanceId": {"S1"}}, []string{"zh"}},
		{url.Values{"InstanceId": {"S1"}, "Lang": {"en"}}, []string{"en"}},
		{url.Values{"InstanceId": {"S1"}, "Lang": {""}}, nil},
	} {
		_, err := c.Call(context.Background(), &CallRequest{Action: "SetupDomainAutoRenew", Params: tc.params, Idempotent: true}, nil)
		require.NoError(t, err)
		reqs := ts.requests()
		require.Equal(t, tc.want, reqs[len(reqs)-1].Query["Lang"], "%v", tc.params)
		require.Equal(t, "S1", reqs[len(reqs)-1].Query.Get("InstanceId"))
	}
}
