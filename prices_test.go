package alidomain

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/alidomain/alidomain/alidomaintest"
	"github.com/alidomain/alidomain/internal/wire"
)

const priceJSON = `{"RequestId":"R-P1","Success":true,"Synchro":true,"HttpStatusCode":200,
"Module":{"DomainPrices":[
 {"DomainName":"example.com","Action":"renew","Period":1,"Currency":"USD","Price":16.22,"Premium":false,"Avail":1,"Reason":""},
 {"DomainName":"xn--fiq228c.com","Action":"renew","Period":2,"Currency":"USD","Price":"30.5","Premium":"true","Avail":"1"},
 {"DomainName":"gone.net","Action":"renew","Period":1,"Currency":"USD","Price":0,"Avail":0,"Reason":"不可续费"}
]}}`

// priceRequest asks for priceJSON's prices, not in the answer's order.
func priceRequest() *PriceRequest {
	return &PriceRequest{Currency: "USD", Items: []PriceItem{
		{Action: PriceRenew, DomainName: "gone.net", Years: 1},
		{Action: PriceRenew, DomainName: "example.com", Years: 1, Suffix: "com"},
		{Action: PriceRenew, DomainName: "中文.com", Years: 2},
	}}
}

var wantPrices = []DomainPrice{
	{DomainName: "gone.net", Action: PriceRenew, Years: 1, Currency: "USD", Avail: AvailNotOrderable, Reason: "不可续费"},
	{DomainName: "example.com", Action: PriceRenew, Years: 1, Currency: "USD", Price: 16.22, Avail: AvailOrderable},
	{DomainName: "xn--fiq228c.com", Action: PriceRenew, Years: 2, Currency: "USD", Price: 30.5, Premium: true, Avail: AvailOrderable},
}

// The list goes as ONE parameter DomainItem holding a JSON array with the
// official SDK's keys and order, without HTML escaping or spaces (docs/wire.md,// Parameters sent as JSON), never as DomainItem.N.* keys.
func TestPriceParams(t *testing.T) {
	c, ts := setup(t)
	ts.reply("QueryDomainRealTimePrice", 200, `{"RequestId":"R","Success":true,"Module":{"DomainPrices":[
		{"DomainName":"example.com","Action":"renew","Period":1,"Currency":"USD","Price":16.22,"Avail":1}]}}`)
	_, err := c.Domains.Price(context.Background(), &PriceRequest{Currency: "USD", Items: []PriceItem{
		{Action: PriceRenew, DomainName: "example.com", Years: 1, Suffix: "com"},
	}})
	require.NoError(t, err)
	reqs := ts.requests()
	require.Len(t, reqs, 1)
	// docs/wire.md (Parameters sent as JSON), derived with the real v2 client.
	assertParams(t, commonParams("QueryDomainRealTimePrice", map[string]string{
		"Currency":   "USD",
		"DomainItem": `[{"Action":"renew","DomainName":"example.com","Period":1,"Suffix":"com"}]`,
	}), reqs[0].Query)
	require.Contains(t, reqs[0].Query.Encode(),
		"DomainItem=%5B%7B%22Action%22%3A%22renew%22%2C%22DomainName%22%3A%22example.com%22%2C%22Period%22%3A1%2C%22Suffix%22%3A%22com%22%7D%5D")

	// Zero Years and Suffix are left out of the item; a non-ASCII name is
	// sent as UTF-8, and & < > are not HTML-escaped; 12 items stay one
	// parameter in the order given.
	ts.reply("QueryDomainRealTimePrice", 200, `{"RequestId":"R","Success":true,"Module":{"DomainPrices":[]}}`)
	req := &PriceRequest{Currency: "CNY"}
	var want []string
	for i := 1; i <= 12; i++ {
		name := fmt.Sprintf("d%d.com", i)
		if i == 10 {
			name = "例子.cn"
		}
		req.Items = append(req.Items, PriceItem{Action: PriceRenew, DomainName: name})
		want = append(want, `{"Action":"renew","DomainName":"`+name+`"}`)
	}
	_, err = c.Domains.Price(context.Background(), req)
	require.ErrorContains(t, err, "no price for d1.com", "an empty price list does not answer the request")
	got := ts.requests()[1].Query
	assertParams(t, commonParams("QueryDomainRealTimePrice", map[string]string{
		"Currency":   "CNY",
		"DomainItem": "[" + strings.Join(want, ",") + "]",
	}), got)
}

func TestPriceDecode(t *testing.T) {
	c, ts := setup(t)
	ts.reply("QueryDomainRealTimePrice", 200, priceJSON)
	res, err := c.Domains.Price(context.Background(), priceRequest())
	require.NoError(t, err)
	require.Equal(t, "R-P1", res.RequestID)
	require.Equal(t, 1, res.Attempts)
	require.Equal(t, wantPrices, res.Prices, "one price per item, in the request's order")
}

func TestPriceXML(t *testing.T) {
	c, ts := setup(t, func(o *Options) { o.Format = "XML" })
	ts.reply("QueryDomainRealTimePrice", 200, `<?xml version="1.0" encoding="UTF-8"?><QueryDomainRealTimePriceResponse>
<RequestId>R-P1</RequestId><Success>true</Success><Synchro>true</Synchro><HttpStatusCode>200</HttpStatusCode>
<Module>
<DomainPrices><DomainName>example.com</DomainName><Action>renew</Action><Period>1</Period><Currency>USD</Currency><Price>16.22</Price><Premium>false</Premium><Avail>1</Avail><Reason></Reason></DomainPrices>
<DomainPrices><DomainName>xn--fiq228c.com</DomainName><Action>renew</Action><Period>2</Period><Currency>USD</Currency><Price>30.5</Price><Premium>true</Premium><Avail>1</Avail></DomainPrices>
<DomainPrices><DomainName>gone.net</DomainName><Action>renew</Action><Period>1</Period><Currency>USD</Currency><Price>0</Price><Avail>0</Avail><Reason>不可续费</Reason></DomainPrices>
</Module></QueryDomainRealTimePriceResponse>`)
	res, err := c.Domains.Price(context.Background(), priceRequest())
	require.NoError(t, err)
	require.Equal(t, "XML", ts.requests()[0].Query.Get("Format"))
	require.Equal(t, wantPrices, res.Prices)
}

// A business failure inside HTTP 200 is an *APIError with the body's code,
// message and status: never a price, never a retry of a refusal.
func TestPriceErrorInsideHTTP200(t *testing.T) {
	for _, tc := range []struct {
		name, body, code, msg string
		status                int
	}{
		{"success false", `{"RequestId":"R-E","Success":false,"Synchro":true,"HttpStatusCode":400,"ErrorCode":"3002","ErrorMsg":"非法参数","DynamicCode":"4000","DynamicMessage":"x","Module":{"DomainPrices":[{"DomainName":"example.com","Action":"renew","Period":1,"Currency":"USD","Price":1}]}}`, "3002", "非法参数", 400},
		{"no status in the body", `{"RequestId":"R-E","Success":false,"ErrorCode":"3002","ErrorMsg":"bad"}`, "3002", "bad", 200},
		{"code without Success", `{"RequestId":"R-E","ErrorCode":"DomainNotFound","Module":{"DomainPrices":[]}}`, "DomainNotFound", "", 200},
		{"only the dynamic code", `{"RequestId":"R-E","Success":"false","HttpStatusCode":"409","DynamicCode":"4000","DynamicMessage":"dyn"}`, "4000", "dyn", 409},
		{"absurd status", `{"RequestId":"R-E","Success":false,"HttpStatusCode":7,"ErrorCode":"E"}`, "E", "", 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ts := setup(t)
			ts.reply("QueryDomainRealTimePrice", 200, tc.body)
			res, err := c.Domains.Price(context.Background(), &PriceRequest{Currency: "USD", Items: []PriceItem{{Action: PriceRenew, DomainName: "example.com", Years: 1}}})
			require.Nil(t, res)
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			require.Equal(t, "QueryDomainRealTimePrice", ae.Action)
			require.Equal(t, tc.code, ae.Code)
			require.Equal(t, tc.msg, ae.Message)
			require.Equal(t, tc.status, ae.HTTPStatus)
			require.Equal(t, "R-E", ae.RequestID)
			require.Len(t, ts.requests(), 1, "a refusal is not retried")
		})
	}

	// The same in XML.
	cx, tsx := setup(t, func(o *Options) { o.Format = "XML" })
	tsx.reply("QueryDomainRealTimePrice", 200, `<QueryDomainRealTimePriceResponse><RequestId>R-X</RequestId><Success>false</Success><HttpStatusCode>400</HttpStatusCode><ErrorCode>3002</ErrorCode><ErrorMsg>非法参数</ErrorMsg></QueryDomainRealTimePriceResponse>`)
	_, err := cx.Domains.Price(context.Background(), &PriceRequest{Currency: "USD", Items: []PriceItem{{Action: PriceRenew, DomainName: "example.com"}}})
	var ae *APIError
	require.ErrorAs(t, err, &ae)
	require.Equal(t, APIError{Action: "QueryDomainRealTimePrice", Code: "3002", Message: "非法参数", RequestID: "R-X", HTTPStatus: 400}, *ae)

	// Success false without any code: still an error, never a price.
	c, ts := setup(t)
	ts.reply("QueryDomainRealTimePrice", 200, `{"RequestId":"R","Success":false,"Module":{"DomainPrices":[{"DomainName":"example.com","Action":"renew","Price":1}]}}`)
	res, err := c.Domains.Price(context.Background(), &PriceRequest{Currency: "USD", Items: []PriceItem{{Action: PriceRenew, DomainName: "example.com"}}})
	require.Nil(t, res)
	require.ErrorContains(t, err, "Success false")
	require.False(t, errors.As(err, &ae), "no code: not an APIError, an unusable answer")

	// A throttling code inside the body is retried as any throttled read.
	ts.script("QueryDomainRealTimePrice",
		[2]any{200, `{"RequestId":"R1","Success":false,"HttpStatusCode":400,"ErrorCode":"Throttling.User","ErrorMsg":"slow down"}`},
		[2]any{200, `{"RequestId":"R2","Success":true,"Module":{"DomainPrices":[{"DomainName":"example.com","Action":"renew","Period":1,"Currency":"USD","Price":9.5,"Avail":1}]}}`})
	res, err = c.Domains.Price(context.Background(), &PriceRequest{Currency: "USD", Items: []PriceItem{{Action: PriceRenew, DomainName: "example.com"}}})
	require.NoError(t, err)
	require.Equal(t, 2, res.Attempts)
	require.Equal(t, 9.5, res.Prices[0].Price)
}

// A price list that does not answer the request is an error, never a
// price for the wrong domain.
func TestPriceListMustMatchRequest(t *testing.T) {
	item := func(name, action string, period int, currency string) string {
		return fmt.Sprintf(`{"DomainName":%q,"Action":%q,"Period":%d,"Currency":%q,"Price":10,"Avail":1}`, name, action, period, currency)
	}
	two := &PriceRequest{Currency: "usd", Items: []PriceItem{
		{Action: PriceRenew, DomainName: "a.com", Years: 1},
		{Action: PriceRenew, DomainName: "b.com", Years: 2},
	}}
	for _, tc := range []struct {
		name, prices, want string
	}{
		{"one missing", item("a.com", "renew", 1, "USD"), "no price for b.com (renew, 2 years)"},
		{"another domain", item("a.com", "renew", 1, "USD") + "," + item("c.com", "renew", 2, "USD"), "no price for b.com"},
		{"another action", item("a.com", "renew", 1, "USD") + "," + item("b.com", "create", 2, "USD"), "no price for b.com"},
		{"other years", item("a.com", "renew", 1, "USD") + "," + item("b.com", "renew", 1, "USD"), "no price for b.com"},
		{"another currency", item("a.com", "renew", 1, "USD") + "," + item("b.com", "renew", 2, "CNY"), "in CNY, usd was asked for"},
		{"one not asked for", item("a.com", "renew", 1, "USD") + "," + item("b.com", "renew", 2, "USD") + "," + item("c.com", "renew", 1, "USD"), "c.com (renew), which was not asked for"},
		{"twice", item("a.com", "renew", 1, "USD") + "," + item("b.com", "renew", 2, "USD") + "," + item("b.com", "renew", 2, "USD"), "b.com (renew), which was not asked for"},
		{"no name", item("a.com", "renew", 1, "USD") + `,{"Action":"renew","Price":1}`, "no DomainName"},
		{"no period", item("a.com", "renew", 1, "USD") + `,{"DomainName":"b.com","Action":"renew","Price":1}`, "no price for b.com (renew, 2 years) in the response: its price has no Period"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, ts := setup(t)
			ts.reply("QueryDomainRealTimePrice", 200, `{"RequestId":"R","Success":true,"Module":{"DomainPrices":[`+tc.prices+`]}}`)
			res, err := c.Domains.Price(context.Background(), two)
			require.Nil(t, res)
			require.ErrorContains(t, err, tc.want)
			require.NotErrorIs(t, err, ErrOutcomeUnknown)
		})
	}

	for _, body := range []string{`{"RequestId":"R","Success":true}`, `{"RequestId":"R","Success":true,"Module":null}`} {
		c, ts := setup(t)
		ts.reply("QueryDomainRealTimePrice", 200, body)
		_, err := c.Domains.Price(context.Background(), two)
		require.ErrorContains(t, err, "no Module", body)
	}

	// Matching is by domain in any form and case; an answer without
	// Action or Currency takes the request's.
	c, ts := setup(t)
	ts.reply("QueryDomainRealTimePrice", 200, `{"RequestId":"R","Module":{"DomainPrices":[{"DomainName":"B.COM","Period":2,"Price":3},{"DomainName":"xn--fsqu00a.cn","Action":"renew","Period":1,"Price":"4.25"}]}}`)
	res, err := c.Domains.Price(context.Background(), &PriceRequest{Currency: "USD", Items: []PriceItem{
		{Action: PriceRenew, DomainName: "例子.cn"},
		{Action: PriceRestore, DomainName: "b.com", Years: 2},
	}})
	require.NoError(t, err)
	require.Equal(t, []DomainPrice{
		{DomainName: "xn--fsqu00a.cn", Action: PriceRenew, Years: 1, Currency: "USD", Price: 4.25},
		{DomainName: "B.COM", Action: PriceRestore, Years: 2, Currency: "USD", Price: 3},
	}, res.Prices)
}

func TestPriceValidation(t *testing.T) {
	c, ts := setup(t)
	ok := PriceItem{Action: PriceRenew, DomainName: "a.com"}
	for _, tc := range []struct {
		req   *PriceRequest
		field string
	}{
		{nil, "PriceRequest"},
		{&PriceRequest{Items: []PriceItem{ok}}, "Currency"},
		{&PriceRequest{Currency: "US", Items: []PriceItem{ok}}, "Currency"},
		{&PriceRequest{Currency: "U$D", Items: []PriceItem{ok}}, "Currency"},
		{&PriceRequest{Currency: "USD"}, "Items"},
		{&PriceRequest{Currency: "USD", Items: []PriceItem{ok, {DomainName: "b.com"}}}, "Items[1].Action"},
		{&PriceRequest{Currency: "USD", Items: []PriceItem{{Action: "renw", DomainName: "b.com"}}}, "Items[0].Action"},
		{&PriceRequest{Currency: "USD", Items: []PriceItem{{Action: PriceRenew, DomainName: "bad name.com"}}}, "Items[0].DomainName"},
		{&PriceRequest{Currency: "USD", Items: []PriceItem{{Action: PriceRenew, DomainName: "a.com", Years: 11}}}, "Items[0].Years"},
		{&PriceRequest{Currency: "USD", Items: []PriceItem{{Action: PriceRenew, DomainName: "a.com", Years: -1}}}, "Items[0].Years"},
		{&PriceRequest{Currency: "USD", Items: []PriceItem{{Action: PriceRenew, DomainName: "a.com", Suffix: "net"}}}, "Items[0].Suffix"},
		{&PriceRequest{Currency: "USD", Items: []PriceItem{{Action: PriceRenew, DomainName: "a.com", Suffix: ".com"}}}, "Items[0].Suffix"},
		{&PriceRequest{Currency: "USD", Items: []PriceItem{ok, {Action: PriceRenew, DomainName: "A.com"}}}, "Items[1].DomainName"},
		{&PriceRequest{Currency: "USD", Items: []PriceItem{{Action: PriceRenew, DomainName: "例子.cn"}, {Action: PriceRenew, DomainName: "xn--fsqu00a.cn"}}}, "Items[1].DomainName"},
	} {
		_, err := c.Domains.Price(context.Background(), tc.req)
		requireValidationField(t, err, tc.field)
	}
	require.Empty(t, ts.requests(), "nothing is sent for an invalid request")

	// Valid: the same domain for other years or another action, a
	// multi-label suffix, lower-case currency.
	require.NoError(t, (&PriceRequest{Currency: "cny", Items: []PriceItem{
		{Action: PriceRenew, DomainName: "a.com.cn", Suffix: "com.cn"},
		{Action: PriceRenew, DomainName: "a.com.cn", Years: 2},
		{Action: PriceRestore, DomainName: "a.com.cn"},
		{Action: PriceRenew, DomainName: "例子.中国", Suffix: "中国"},
	}}).Validate())
}

// The price of a renewal on the simulator, which quotes what SetPrice
// configured, n times the yearly price for n years.
func TestPriceOnSimulator(t *testing.T) {
	for _, format := range []string{"JSON", "XML"} {
		t.Run(format, func(t *testing.T) {
			c, sim := simClient(t, nil, func(o *Options) { o.Format = format })
			sim.AddDomain("acme.com", simExpiry, alidomaintest.NeedsRenewal())
			sim.SetPrice("acme.com", alidomaintest.PriceRenew, 12.5, "USD")
			sim.SetPrice("例子.cn", alidomaintest.PriceRenew, 7, "USD")
			res, err := c.Domains.Price(context.Background(), &PriceRequest{Currency: "USD", Items: []PriceItem{
				{Action: PriceRenew, DomainName: "acme.com", Years: 3, Suffix: "com"},
				{Action: PriceRenew, DomainName: "例子.cn"},
				{Action: PriceRenew, DomainName: "unpriced.org", Years: 1},
			}})
			require.NoError(t, err)
			require.Len(t, res.Prices, 3)
			require.Equal(t, 37.5, res.Prices[0].Price)
			require.Equal(t, 3, res.Prices[0].Years)
			require.Equal(t, AvailOrderable, res.Prices[0].Avail)
			require.Equal(t, 7.0, res.Prices[1].Price)
			require.Equal(t, AvailNotOrderable, res.Prices[2].Avail)
			require.NotEmpty(t, res.Prices[2].Reason)

			// The simulator's scripted business error arrives inside 200.
			sim.Inject("QueryDomainRealTimePrice", alidomaintest.InBodyError("3002", "非法参数"))
			_, err = c.Domains.Price(context.Background(), &PriceRequest{Currency: "USD", Items: []PriceItem{{Action: PriceRenew, DomainName: "acme.com"}}})
			var ae *APIError
			require.ErrorAs(t, err, &ae)
			require.Equal(t, "3002", ae.Code)
			require.Equal(t, "非法参数", ae.Message)
			require.False(t, errors.Is(err, ErrOutcomeUnknown))
		})
	}
}

// The encoded DomainItem equals url.Values' view of it: one key, one value.
func TestPriceParamIsOneKey(t *testing.T) {
	ps, _, err := wire.EncodeRequest(&PriceRequest{Currency: "USD", Items: []PriceItem{{Action: PriceRenew, DomainName: "a b.com"}}})
	require.NoError(t, err)
	require.Len(t, ps, 2)
	require.Equal(t, "DomainItem", ps[1].Key)
	v, err := url.PathUnescape(ps[1].Value)
	require.NoError(t, err)
	require.Equal(t, `[{"Action":"renew","DomainName":"a b.com"}]`, v)
	require.Contains(t, ps[1].Value, "%20", "RFC 3986: a space is %20")
}

// A renewal quote says whether the renewal can be ordered, in those words:
// never "registrable", which is CheckDomain's question.
func TestOrderAvailabilityString(t *testing.T) {
	for a, want := range map[OrderAvailability]string{
		AvailOrderable:    "orderable",
		AvailNotOrderable: "not orderable",
		-1:                "not orderable (code -1)",
		3:                 "not orderable (code 3)",
	} {
		require.Equal(t, want, a.String())
	}
}
