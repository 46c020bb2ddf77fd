package alidomain

import (
	"encoding/json"
	"math"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/alidomain/alidomain/internal/wire"
)

// Fuzz targets for the decoders of the reads (QueryDomainRealTimePrice,
// CheckDomain, QueryDomainByDomainName, SetupDomainAutoRenew), in JSON and
// XML, and for the JSON parameter DomainItem.

// accept runs a decoded answer through what send does after decoding: the
// envelope (an error answer when it has a Code, no result when it says it
// failed without one), then check.
func accept(r interface{ Folded() wireMeta }, check func() error) (wireMeta, bool) {
	env := r.Folded()
	if env.Code != "" || env.Failed != "" {
		return env, false
	}
	return env, check() == nil
}

func FuzzDecodePriceResponse(f *testing.F) {
	for _, s := range []string{
		priceJSON,
		`{"RequestId":"R","Success":false,"HttpStatusCode":400,"ErrorCode":"3002","ErrorMsg":"非法参数"}`,
		`{"RequestId":"R","Success":"true","Module":{"DomainPrices":{"DomainName":"a.com","Action":"renew","Price":"1.5"}}}`,
		`{"RequestId":"R","Module":[{"DomainName":"a.com","Price":1e308}]}`,
		`{"Success":false,"DynamicCode":"4000"}`,
		`<R><Success>true</Success><Module><DomainPrices><DomainName>a.com</DomainName><Price>2</Price><Period>1</Period></DomainPrices></Module></R>`,
		`<R><Success>false</Success><HttpStatusCode>503</HttpStatusCode><ErrorCode>E</ErrorCode></R>`,
		`{"Module":{"DomainPrices":[{"DomainName":"xn--fiq228c.com","Price":-1}]}}`,
		// No price, no Period, and envelopes that are no result.
		`{"RequestId":"R","Success":true,"Module":{"DomainPrices":[{"DomainName":"a.com","Action":"renew","Period":1,"Avail":1},{"DomainName":"中文.com","Action":"renew","Period":2,"Price":null,"Avail":1}]}}`,
		`{"RequestId":"R","Module":{"DomainPrices":[{"DomainName":"a.com","Action":"renew","Period":"","Price":"","Avail":1},{"DomainName":"中文.com","Action":"renew","Period":1,"Price":"-3","Avail":1}]}}`,
		`{"RequestId":"R","Module":{"DomainPrices":[{"DomainName":"a.com","Action":"renew","Price":5,"Avail":1},{"DomainName":"中文.com","Action":"renew","Price":5,"Avail":1}]}}`,
		`<R><Module><DomainPrices><DomainName>a.com</DomainName><Period>1</Period><Price/><Avail>1</Avail></DomainPrices><DomainPrices><DomainName>中文.com</DomainName><Period>1</Period><Price>4</Price></DomainPrices></Module></R>`,
		`{"RequestId":"R","Success":true,"ErrorCode":"3002","Module":{"DomainPrices":[]}}`,
		`{"RequestId":"R","Success":false,"HttpStatusCode":404,"ErrorCode":"E","ErrorMessage":"m"}`,
	} {
		f.Add([]byte(s))
	}
	req := &PriceRequest{Currency: "USD", Items: []PriceItem{
		{Action: PriceRenew, DomainName: "a.com", Years: 1},
		{Action: PriceRenew, DomainName: "中文.com"},
	}}
	f.Fuzz(func(t *testing.T, body []byte) {
		var r priceResponse
		if sniffDecode(body, &r) != nil {
			return
		}
		env, ok := accept(r, r.check)
		if env.Code != "" {
			if r.wireMeta.Code == "" && (env.Status < 100 || env.Status > 599) {
				t.Fatalf("error answer with HTTP status %d", env.Status)
			}
			if string(r.ErrorCode) != "" && env.Code != string(r.ErrorCode) && r.wireMeta.Code == "" {
				t.Fatalf("code %q, ErrorCode %q", env.Code, r.ErrorCode)
			}
			return
		}
		if r.ErrorCode != "" && ok {
			t.Fatalf("ErrorCode %q accepted", r.ErrorCode)
		}
		if !ok || answersPrices(req, &r) != nil {
			return
		}
		if r.Success != nil && !bool(*r.Success) {
			t.Fatal("Success false gave prices")
		}
		if len(r.prices) != len(req.Items) || len(r.Module.items) != len(req.Items) {
			t.Fatalf("%d prices (%d in the answer) for %d items", len(r.prices), len(r.Module.items), len(req.Items))
		}
		for i, p := range r.prices {
			it := req.Items[i]
			if !sameDomainName(p.DomainName, it.DomainName) || p.Action != it.Action || !strings.EqualFold(p.Currency, req.Currency) {
				t.Fatalf("price %d %+v answers item %+v", i, p, it)
			}
			if p.Price < 0 || math.IsNaN(p.Price) || math.IsInf(p.Price, 0) {
				t.Fatalf("price %v accepted", p.Price)
			}
			if it.Years != 0 && p.Years != it.Years {
				t.Fatalf("price for %d years answers %d", p.Years, it.Years)
			}
			if p.Err != nil && (p.Price != 0 || p.Avail == AvailOrderable) {
				t.Fatalf("unpriced item %+v is orderable or priced", p)
			}
		}
	})
}

func FuzzDecodeCheckDomain(f *testing.F) {
	for _, s := range []string{
		`{"RequestId":"R-C","DomainName":"test.xin","Avail":"1","Premium":"true","Price":1286,"DynamicCheck":true,"StaticPriceInfo":{"PriceInfo":[{"action":"create","money":55.5,"period":1},{"action":"renew","money":"60","period":"2"}]}}`,
		`{"DomainName":"a.com","Avail":-3,"Premium":false,"StaticPriceInfo":{"PriceInfo":{"action":"x","money":"1e2"}}}`,
		`{"Avail":null}`,
		`{"Avail":"","StaticPriceInfo":[]}`,
		`<R><Avail>4</Avail><StaticPriceInfo><PriceInfo><money>abc</money></PriceInfo></StaticPriceInfo></R>`,
		`<R><Avail> 0 </Avail><Premium>1</Premium></R>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var r checkDomainResponse
		if sniffDecode(body, &r) != nil {
			return
		}
		if _, ok := accept(r, r.check); !ok {
			return
		}
		if !r.Avail.OK {
			t.Fatal("accepted without Avail")
		}
		res := r.result(Meta{})
		if int64(res.Avail) != r.Avail.V {
			t.Fatalf("Avail %d from %d", res.Avail, r.Avail.V)
		}
		_ = res.Avail.String()
		if len(res.StaticPrices) != len(r.StaticPriceInfo.items) {
			t.Fatalf("%d prices from %d", len(res.StaticPrices), len(r.StaticPriceInfo.items))
		}
		for _, p := range res.StaticPrices {
			if math.IsNaN(p.Money) || math.IsInf(p.Money, 0) {
				t.Fatalf("money %v", p.Money)
			}
		}
	})
}

func FuzzDecodeDomainInfo(f *testing.F) {
	for _, s := range []string{
		domainInfoJSON,
		`{"DomainName":"a.com","DnsList":{"Dns":"x"},"Tag":{"Tag":{"Key":"k","Vaue":"v"}}}`,
		`{"DomainName":"a.com","DnsList":[" , ,a"],"ExpirationDateLong":"1.7e12"}`,
		`{"DomainName":"","ExpirationDate":"2024-01-01"}`,
		`{"DomainName":"b.com","ExpirationDate":"Jan 2, 2006 15:04:05","DomainStatus":"9"}`,
		`<R><DomainName>a.com</DomainName><DnsList><Dns>a,b</Dns><Dns></Dns></DnsList><Tag><Tag><Key>k</Key><Value>v</Value></Tag></Tag></R>`,
		`<R><DomainName>a.com</DomainName><ExpirationDateLong>x</ExpirationDateLong></R>`,
		`{"DomainName":"a.com","ExpirationDateLong":-1}`,
		`{"DomainName":"a.com","ExpirationDateLong":"0","ExpirationDate":"1999-12-31 23:59:59","RegistrationDateLong":1}`,
		`{"RequestId":"R","Success":false,"ErrorCode":"DomainNotFound","ErrorMsg":"m","DomainName":"a.com","ExpirationDateLong":1828170133123}`,
		`{"Success":false,"DomainName":"a.com","ExpirationDateLong":1828170133123}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var r domainInfoResponse
		if sniffDecode(body, &r) != nil {
			return
		}
		if _, ok := accept(r, r.check); !ok {
			return
		}
		d := r.detail
		if d.DomainName == "" || d.DomainName != string(r.DomainName) {
			t.Fatalf("accepted domain named %q (wire %q)", d.DomainName, r.DomainName)
		}
		checkUTC(t, "ExpirationDate", d.ExpirationDate)
		checkUTC(t, "RegistrationDate", d.RegistrationDate)
		if d.ExpirationDate.Before(minExpirationDate) {
			t.Fatalf("accepted ExpirationDate %v", d.ExpirationDate)
		}
		if ms := int64(r.ExpirationDateLong); ms != 0 && d.ExpirationDate.UnixMilli() != ms {
			t.Fatalf("ExpirationDateLong %d gave %v", ms, d.ExpirationDate)
		}
		for _, s := range d.DNS {
			if s == "" || strings.Contains(s, ",") || strings.TrimSpace(s) != s {
				t.Fatalf("name server %q", s)
			}
		}
		if len(d.Tags) != len(r.Tag.items) {
			t.Fatalf("%d tags from %d", len(d.Tags), len(r.Tag.items))
		}
		for i, tag := range d.Tags {
			w := r.Tag.items[i]
			if want := string(w.Value); want != "" && tag.Value != want || want == "" && tag.Value != string(w.Vaue) {
				t.Fatalf("tag %+v from %+v", tag, w)
			}
		}
		_ = d.DomainStatus.String()
	})
}

func FuzzDecodeAutoRenew(f *testing.F) {
	for _, s := range []string{`{"RequestId":"R","Result":true}`, `{"Result":"false"}`, `{}`, `<R><Result>1</Result></R>`, `{"Result":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var r autoRenewResponse
		if sniffDecode(body, &r) != nil {
			return
		}
		if _, ok := accept(r, r.check); ok && (r.Result == nil || !bool(*r.Result)) {
			t.Fatalf("accepted Result %v", r.Result)
		}
	})
}

// FuzzPriceItemParam: whatever the items hold, DomainItem is one parameter
// whose unescaped value is a JSON array that decodes back to the items.
func FuzzPriceItemParam(f *testing.F) {
	f.Add("renew", "例子.cn", 1, "cn")
	f.Add("a&b<c>", "x y+z", 0, `"\`)
	f.Fuzz(func(t *testing.T, action, name string, years int, suffix string) {
		if !utf8.ValidString(action) || !utf8.ValidString(name) || !utf8.ValidString(suffix) {
			return // encoding/json replaces invalid bytes: nothing to compare
		}
		items := []PriceItem{{Action: PriceAction(action), DomainName: name, Years: years, Suffix: suffix}, {Action: PriceRenew, DomainName: "b.com"}}
		ps, _, err := wire.EncodeRequest(&PriceRequest{Currency: "USD", Items: items})
		if err != nil {
			t.Fatal(err)
		}
		if len(ps) != 2 || ps[1].Key != "DomainItem" {
			t.Fatalf("params %v", ps)
		}
		raw, err := url.PathUnescape(ps[1].Value)
		if err != nil {
			t.Fatal(err)
		}
		if wire.Escape(raw) != ps[1].Value {
			t.Fatalf("value %q is not the RFC 3986 escape of %q", ps[1].Value, raw)
		}
		var back []PriceItem
		if err := json.Unmarshal([]byte(raw), &back); err != nil {
			t.Fatalf("%q: %v", raw, err)
		}
		if len(back) != len(items) {
			t.Fatalf("%d items sent, %d decode", len(items), len(back))
		}
		for i := range items {
			if back[i] != items[i] {
				t.Fatalf("item %d: sent %+v, decodes as %+v", i, items[i], back[i])
			}
		}
		if strings.ContainsAny(raw, "\n ") && !strings.ContainsAny(action+name+suffix, "\n ") {
			t.Fatalf("space or newline in %q", raw)
		}
	})
}

// FuzzEnvelope: whatever the business envelope of a 200 holds, an answer
// that says Success false, or carries an ErrorCode, is never taken as a
// result: it is an error answer with a code and a real HTTP status, or a
// failure without one.
func FuzzEnvelope(f *testing.F) {
	for _, s := range []string{
		`{"RequestId":"R","Success":false,"HttpStatusCode":404,"ErrorCode":"DomainNotFound","ErrorMsg":"m"}`,
		`{"Success":"false","DynamicCode":"4000","DynamicMessage":"x","HttpStatusCode":"70000"}`,
		`{"Success":0}`,
		`{"Success":true,"ErrorCode":"3002"}`,
		`{"Success":null,"ErrorCode":12,"ErrorMessage":"n"}`,
		`{"Code":"Throttling.User","Success":false,"ErrorCode":"E"}`,
		`<R><Success>false</Success><ErrorCode></ErrorCode><DynamicCode>D</DynamicCode></R>`,
		`<R><Success>1</Success></R>`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var m wireMeta
		if sniffDecode(body, &m) != nil {
			return
		}
		env := m.Folded()
		unsuccessful := m.Success != nil && !bool(*m.Success)
		switch {
		case env.Code == "" && env.Failed == "" && (unsuccessful || m.ErrorCode != ""):
			t.Fatalf("taken as a result: Success %v, ErrorCode %q", m.Success, m.ErrorCode)
		case env.Code != "" && env.Failed != "":
			t.Fatalf("both an error answer (%q) and a failure (%q)", env.Code, env.Failed)
		case env.Code != "" && m.Code == "" && (env.Status < 100 || env.Status > 599):
			t.Fatalf("error answer with HTTP status %d", env.Status)
		case m.Code != "" && env.Code != m.Code:
			t.Fatalf("the gateway's Code %q became %q", m.Code, env.Code)
		}
	})
}
