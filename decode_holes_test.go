package alidomain

import (
	"context"
	"errors"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Issue 17, items 6, 9 and 11: answers that are no answer (a price that is
// not there, a date that is a sentinel, Success false inside a 200), an
// empty list answered without Data, and request fields whose API default
// is true.

// A price that is missing, null, empty or negative is no price: the item
// carries Err, a Price of 0 and is never orderable; the other items keep
// theirs.
func TestPriceWithoutUsablePriceIsNoPrice(t *testing.T) {
	req := &PriceRequest{Currency: "USD", Items: []PriceItem{
		{Action: PriceRenew, DomainName: "a.com", Years: 1},
		{Action: PriceRenew, DomainName: "b.com", Years: 1},
	}}
	for name, price := range map[string]string{
		"missing":         ``,
		"null":            `,"Price":null`,
		"empty":           `,"Price":""`,
		"blank":           `,"Price":" "`,
		"negative":        `,"Price":-1`,
		"negative string": `,"Price":"-0.01"`,
	} {
		t.Run(name, func(t *testing.T) {
			c, ts := setup(t)
			ts.reply("QueryDomainRealTimePrice", 200, `{"RequestId":"R","Success":true,"Module":{"DomainPrices":[
				{"DomainName":"a.com","Action":"renew","Period":1,"Currency":"USD","Price":12.5,"Avail":1},
				{"DomainName":"b.com","Action":"renew","Period":1,"Currency":"USD","Avail":1`+price+`}]}}`)
			res, err := c.Domains.Price(context.Background(), req)
			require.NoError(t, err, "one unpriced item does not lose the other prices")
			a, b := res.Prices[0], res.Prices[1]
			require.NoError(t, a.Err)
			assert.Equal(t, 12.5, a.Price)
			assert.Equal(t, AvailOrderable, a.Avail)
			require.Error(t, b.Err, "an unpriced item says so")
			assert.Contains(t, b.Err.Error(), "b.com")
			assert.Zero(t, b.Price)
			assert.NotEqual(t, AvailOrderable, b.Avail, "an item without a price is never orderable")
			assert.NotEmpty(t, b.Reason)
		})
	}
	// The same in XML: an empty <Price/>.
	c, ts := setup(t, func(o *Options) { o.Format = "XML" })
	ts.reply("QueryDomainRealTimePrice", 200, `<R><RequestId>R</RequestId><Success>true</Success><Module>
<DomainPrices><DomainName>a.com</DomainName><Action>renew</Action><Period>1</Period><Price>12.5</Price><Avail>1</Avail></DomainPrices>
<DomainPrices><DomainName>b.com</DomainName><Action>renew</Action><Period>1</Period><Price/><Avail>1</Avail></DomainPrices></Module></R>`)
	res, err := c.Domains.Price(context.Background(), req)
	require.NoError(t, err)
	require.NoError(t, res.Prices[0].Err)
	require.Error(t, res.Prices[1].Err)
	assert.NotEqual(t, AvailOrderable, res.Prices[1].Avail)
}

// A price answers an item only for the years asked: a Period that differs,
// or none at all, answers nothing (the quote could be for any length).
func TestPricePeriodMustMatchYears(t *testing.T) {
	entry := func(period string) string {
		return `{"RequestId":"R","Module":{"DomainPrices":[{"DomainName":"a.com","Action":"renew"` + period + `,"Currency":"USD","Price":30,"Avail":1}]}}`
	}
	for _, tc := range []struct {
		name   string
		years  int
		period string
		want   string // "" = a price for that many years
	}{
		{"no Period, 2 years asked", 2, ``, "has no Period"},
		{"null Period", 2, `,"Period":null`, "has no Period"},
		{"empty Period", 2, `,"Period":""`, "has no Period"},
		{"no Period, default asked", 0, ``, "has no Period"},
		{"1 year for 2 asked", 2, `,"Period":1`, "its price is for 1 years"},
		{"3 years for 2 asked", 2, `,"Period":"3"`, "its price is for 3 years"},
		{"2 years for 2 asked", 2, `,"Period":2`, ""},
		{"any Period for the default", 0, `,"Period":1`, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ts := setup(t)
			ts.reply("QueryDomainRealTimePrice", 200, entry(tc.period))
			res, err := c.Domains.Price(context.Background(), &PriceRequest{Currency: "USD", Items: []PriceItem{{Action: PriceRenew, DomainName: "a.com", Years: tc.years}}})
			if tc.want != "" {
				require.Nil(t, res)
				require.ErrorContains(t, err, "no price for a.com")
				require.ErrorContains(t, err, tc.want)
				return
			}
			require.NoError(t, err)
			require.NotZero(t, res.Prices[0].Years)
			require.Equal(t, 30.0, res.Prices[0].Price)
		})
	}
}

// An answer about a domain must carry its expiration date, and a plausible
// one: missing, or before 2000 (ExpirationDateLong -1 reads as 1969), is an
// error, as is a registration date before 1985.
func TestDomainDatesMustBePlausible(t *testing.T) {
	for _, tc := range []struct{ fields, want string }{
		{``, "ExpirationDate: missing"},
		{`,"ExpirationDateLong":0,"ExpirationDate":""`, "ExpirationDate: missing"},
		{`,"ExpirationDateLong":null,"ExpirationDate":null`, "ExpirationDate: missing"},
		{`,"ExpirationDateLong":-1`, "before 2000"},
		{`,"ExpirationDateLong":"-1","ExpirationDate":"2027-12-07 17:02:13"`, "before 2000"},
		{`,"ExpirationDateLong":1`, "before 2000"},
		{`,"ExpirationDate":"1999-12-31 23:59:59"`, "before 2000"},
		{`,"ExpirationDateLong":1828170133123,"RegistrationDateLong":-1`, "RegistrationDate"},
	} {
		c, ts := setup(t)
		ts.reply("QueryDomainByDomainName", 200, `{"RequestId":"R","DomainName":"example.com"`+tc.fields+`}`)
		d, err := c.Domains.Get(context.Background(), &GetDomainRequest{DomainName: "example.com"})
		require.Nil(t, d, tc.fields)
		require.ErrorContains(t, err, tc.want, tc.fields)
		require.ErrorContains(t, err, "Date", tc.fields)

		// The same domain in a list: the page is refused.
		ts.reply("QueryDomainList", 200, `{"RequestId":"R","TotalItemNum":1,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":20,"Data":{"Domain":[{"DomainName":"example.com"`+tc.fields+`}]}}`)
		p, err := c.Domains.List(context.Background(), nil)
		require.Nil(t, p, tc.fields)
		require.ErrorContains(t, err, tc.want, tc.fields)
	}
	// The string form alone is enough; no registration date is no date.
	c, ts := setup(t)
	ts.reply("QueryDomainByDomainName", 200, `{"RequestId":"R","DomainName":"example.com","ExpirationDate":"2027-12-07 17:02:13"}`)
	d, err := c.Domains.Get(context.Background(), &GetDomainRequest{DomainName: "example.com"})
	require.NoError(t, err)
	assert.Equal(t, "2027-12-07T09:02:13Z", d.ExpirationDate.Format("2006-01-02T15:04:05Z07:00"))
	assert.True(t, d.RegistrationDate.IsZero())
}

// A 200 answer with Success false and an ErrorCode is an *APIError for
// every action, typed or through Call, with the code, the message and the
// body's HttpStatusCode; Success false without a code, or Success true
// with an ErrorCode, is an error that is neither a result nor an APIError.
func TestSuccessFalseIn200IsAPIErrorForEveryAction(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(c *Client) error{
		"CheckDomain": func(c *Client) error {
			_, err := c.Domains.Check(ctx, &CheckDomainRequest{DomainName: "example.com"})
			return err
		},
		"QueryDomainByDomainName": func(c *Client) error {
			_, err := c.Domains.Get(ctx, &GetDomainRequest{DomainName: "example.com"})
			return err
		},
		"QueryDomainRealTimePrice": func(c *Client) error {
			_, err := c.Domains.Price(ctx, &PriceRequest{Currency: "USD", Items: []PriceItem{{Action: PriceRenew, DomainName: "example.com"}}})
			return err
		},
		"QueryDomainList": func(c *Client) error {
			_, err := c.Domains.List(ctx, nil)
			return err
		},
		"QueryTaskList": func(c *Client) error {
			_, err := c.Tasks.List(ctx, nil)
			return err
		},
		"QueryTaskDetailList": func(c *Client) error {
			_, err := c.Tasks.ListDetails(ctx, &ListTaskDetailsRequest{TaskNo: "T1"})
			return err
		},
		"SetupDomainAutoRenew": func(c *Client) error {
			_, err := c.Domains.SetAutoRenew(ctx, "S1", true)
			return err
		},
		"QueryDomainByInstanceId": func(c *Client) error {
			_, err := c.Call(ctx, &CallRequest{Action: "QueryDomainByInstanceId", Params: url.Values{"InstanceId": {"S1"}}, Idempotent: true}, nil)
			return err
		},
	}
	for action, call := range calls {
		for _, tc := range []struct{ name, body, msg string }{
			{"ErrorMsg", `{"RequestId":"R-E","Success":false,"HttpStatusCode":404,"ErrorCode":"DomainNotFound","ErrorMsg":"no such domain"}`, "no such domain"},
			{"ErrorMessage", `{"RequestId":"R-E","Success":"false","HttpStatusCode":"404","ErrorCode":"DomainNotFound","ErrorMessage":"not here"}`, "not here"},
			{"DynamicCode", `{"RequestId":"R-E","Success":false,"HttpStatusCode":404,"DynamicCode":"DomainNotFound","DynamicMessage":"gone"}`, "gone"},
		} {
			c, ts := setup(t)
			ts.reply(action, 200, tc.body)
			err := call(c)
			var ae *APIError
			require.ErrorAs(t, err, &ae, "%s, %s: %v", action, tc.name, err)
			assert.Equal(t, APIError{Action: action, Code: "DomainNotFound", Message: tc.msg, RequestID: "R-E", HTTPStatus: 404}, *ae, "%s, %s", action, tc.name)
			assert.Len(t, ts.requests(), 1, "%s: a refusal is not retried", action)
		}
		for _, body := range []string{
			`{"RequestId":"R-E","Success":false}`,
			`{"RequestId":"R-E","Success":true,"ErrorCode":"DomainNotFound","DomainName":"example.com","Avail":"1"}`,
		} {
			c, ts := setup(t)
			ts.reply(action, 200, body)
			err := call(c)
			require.ErrorContains(t, err, "Success", "%s: %s", action, body)
			require.False(t, errors.As(err, new(*APIError)), "%s: %s: no code to report", action, body)
		}
	}

	// A paid order refused so is an *APIError too.
	c, ts := setup(t)
	ts.reply("SaveSingleTaskForCreatingOrderRenew", 200, `{"RequestId":"R-E","Success":false,"HttpStatusCode":400,"ErrorCode":"ParameterIllegal","ErrorMsg":"bad"}`)
	_, err := c.Renew.Submit(ctx, &RenewRequest{DomainName: "example.com", CurrentExpirationDate: time.UnixMilli(1828170133123)})
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	assert.Equal(t, "ParameterIllegal", ae.Code)
}

// An account without matching domains (or tasks) is answered with
// TotalItemNum 0 and no Data at all: an empty page, not an error. A
// non-zero total without items is still an error.
func TestEmptyListWithoutDataIsEmptyPage(t *testing.T) {
	ctx := context.Background()
	empty := `{"RequestId":"R","TotalItemNum":0,"CurrentPageNum":1,"TotalPageNum":0,"PageSize":20}`
	for _, format := range []string{"JSON", "XML"} {
		c, ts := setup(t, func(o *Options) { o.Format = format })
		body := empty
		if format == "XML" {
			body = `<R><RequestId>R</RequestId><TotalItemNum>0</TotalItemNum><CurrentPageNum>1</CurrentPageNum><TotalPageNum>0</TotalPageNum><PageSize>20</PageSize></R>`
		}
		for _, a := range []string{"QueryDomainList", "QueryTaskList", "QueryTaskDetailList"} {
			ts.reply(a, 200, body)
		}
		p, err := c.Domains.List(ctx, &ListDomainsRequest{QueryType: QueryNeedsRedemption})
		require.NoError(t, err, format)
		assert.Empty(t, p.Items)
		assert.Equal(t, Page{PageNum: 1, PageSize: 20}, p.Page)
		n := 0
		for _, err := range c.Domains.ListIter(ctx, nil) {
			require.NoError(t, err, format)
			n++
		}
		assert.Zero(t, n)
		tp, err := c.Tasks.List(ctx, nil)
		require.NoError(t, err, format)
		assert.Empty(t, tp.Items)
		dp, err := c.Tasks.ListDetails(ctx, &ListTaskDetailsRequest{TaskNo: "T1"})
		require.NoError(t, err, format)
		assert.Empty(t, dp.Items)
		for _, err := range c.Tasks.ListDetailsIter(ctx, &ListTaskDetailsRequest{TaskNo: "T1"}) {
			require.NoError(t, err, format)
		}
	}

	for _, tc := range []struct{ name, body, want string }{
		{"a total without Data", `{"RequestId":"R","TotalItemNum":5,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":20}`, "no Data, and TotalItemNum is 5"},
		{"a total without items", `{"RequestId":"R","TotalItemNum":5,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":20,"Data":{"Domain":[]}}`, "page 1 lists no items, and TotalItemNum is 5"},
		{"a total, pages left out", `{"RequestId":"R","TotalItemNum":45,"CurrentPageNum":3,"TotalPageNum":0,"PageSize":20,"Data":{}}`, "page 3 lists no items"},
		{"no Data, no paging", `{"RequestId":"R"}`, "no Data and no CurrentPageNum"},
	} {
		c, ts := setup(t)
		ts.reply("QueryDomainList", 200, tc.body)
		p, err := c.Domains.List(ctx, nil)
		require.Nil(t, p, tc.name)
		require.ErrorContains(t, err, tc.want, tc.name)
		for _, err := range c.Domains.ListIter(ctx, nil) {
			require.Error(t, err, "%s: the iterator yields the error, never an empty list", tc.name)
		}
	}
	// A page asked for beyond the end is empty, whatever the total.
	c, ts := setup(t)
	ts.reply("QueryDomainList", 200, `{"RequestId":"R","TotalItemNum":30,"CurrentPageNum":3,"TotalPageNum":2,"PageSize":20,"Data":{"Domain":[]}}`)
	p, err := c.Domains.List(ctx, &ListDomainsRequest{PageNum: 3})
	require.NoError(t, err)
	assert.Empty(t, p.Items)
}

// RegisterDomain's zero value is the API's defaults: WHOIS privacy on and
// Alibaba Cloud DNS, so neither EnableDomainProxy nor AliyunDns is sent
// (what the official v1 SDK sends unasked) and no name server is needed.
// Ptr(false) turns either off, explicitly.
func TestRegisterZeroValueKeepsAPIDefaults(t *testing.T) {
	ctx := context.Background()
	c, ts := setup(t)
	ts.reply(actionSingleRegister, 200, okBatch)
	ts.reply(actionBatchRegister, 200, okBatch)
	_, err := c.Register.Submit(ctx, &RegisterRequest{RegisterDomain: RegisterDomain{DomainName: "a.com", RegistrantProfileID: 5}})
	require.NoError(t, err, "the zero value registers with Alibaba Cloud DNS: no name servers needed")
	_, err = c.Register.SubmitBatch(ctx, &BatchRegisterRequest{Domains: []RegisterDomain{{DomainName: "a.com", RegistrantProfileID: 5}, {DomainName: "b.com", RegistrantProfileID: 5}}})
	require.NoError(t, err)
	reqs := ts.requests()
	require.Len(t, reqs, 2)
	for _, r := range reqs {
		for k := range r.Query {
			for _, name := range []string{"EnableDomainProxy", "AliyunDns", "Dns1", "Dns2"} {
				assert.NotEqual(t, name, k, "sent %s=%s: the zero value must leave the API's default", k, r.Query.Get(k))
				assert.NotContains(t, k, "."+name, "sent %s=%s", k, r.Query.Get(k))
			}
		}
	}

	// Explicit values are sent as given.
	c, ts = setup(t)
	ts.reply(actionSingleRegister, 200, okBatch)
	_, err = c.Register.Submit(ctx, &RegisterRequest{RegisterDomain: RegisterDomain{DomainName: "a.com", RegistrantProfileID: 5,
		EnableDomainProxy: Ptr(false), AliyunDNS: Ptr(false), DNS1: "ns1.example.org", DNS2: "ns2.example.org"}})
	require.NoError(t, err)
	q := ts.requests()[0].Query
	assert.Equal(t, "false", q.Get("EnableDomainProxy"))
	assert.Equal(t, "false", q.Get("AliyunDns"))
	assert.Equal(t, "ns1.example.org", q.Get("Dns1"))

	// Name servers are needed only when AliyunDNS is explicitly false.
	requireValidationField(t, (&RegisterRequest{RegisterDomain: RegisterDomain{DomainName: "a.com", RegistrantProfileID: 5, AliyunDNS: Ptr(false)}}).Validate(), "DNS1")
	require.NoError(t, (&RegisterRequest{RegisterDomain: RegisterDomain{DomainName: "a.com", RegistrantProfileID: 5, AliyunDNS: Ptr(true)}}).Validate())
}
