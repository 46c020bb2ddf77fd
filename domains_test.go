package alidomain

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// askedPage returns the PageNum a request asked for, 0 when not sent.
func askedPage(r *http.Request) int {
	n, _ := strconv.Atoi(r.URL.Query().Get("PageNum"))
	return n
}

// servePagesOf makes action answer page n (1 when not asked) with body(n).
func servePagesOf(ts *testServer, action string, body func(n int) string) {
	ts.handle(action, func(w http.ResponseWriter, r *http.Request) {
		n := max(askedPage(r), 1)
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body(n))
	})
}

func requireValidationField(t *testing.T, err error, field string) {
	t.Helper()
	var ve *ValidationError
	require.ErrorAs(t, err, &ve)
	require.Equal(t, field, ve.Field, "ValidationError %v", ve)
}

const domainJSON = `{"RequestId":"R-D1","TotalItemNum":"2","CurrentPageNum":"1","TotalPageNum":1,"PageSize":"20","PrePage":false,"NextPage":"false",
"Data":{"Domain":[
 {"DomainName":"example.com","InstanceId":"S2019","ExpirationDate":"2024-03-05 10:04:05","ExpirationDateLong":1709604245123,
  "RegistrationDate":"2014-03-05 10:04:05","RegistrationDateLong":"1394085845000","DomainType":"gTLD","DomainStatus":"2",
  "Premium":true,"ExpirationCurrDateDiff":"-31","Remark":"keep","DomainGroupId":"7","ProductId":"2"},
 {"DomainName":"example.cn","InstanceId":"S2020","ExpirationDate":"2025-01-02 03:04:05",
  "RegistrationDate":"2015-01-02 03:04:05","DomainType":"ccTLD","DomainStatus":1,"Premium":"false","ExpirationCurrDateDiff":5}
]}}`

// wantDomains are domainJSON's domains.
var wantDomains = []Domain{
	{
		DomainName: "example.com", InstanceID: "S2019", DomainType: "gTLD", Remark: "keep",
		DomainStatus:           DomainNeedsRedemption,
		ExpirationDate:         time.UnixMilli(1709604245123).UTC(),
		RegistrationDate:       time.UnixMilli(1394085845000).UTC(),
		ExpirationCurrDateDiff: -31, Premium: true,
	},
	{
		DomainName: "example.cn", InstanceID: "S2020", DomainType: "ccTLD",
		DomainStatus: DomainNeedsRenewal,
		// No ...Long: read from the string, in China Standard Time.
		ExpirationDate:         time.Date(2025, 1, 1, 19, 4, 5, 0, time.UTC),
		RegistrationDate:       time.Date(2015, 1, 1, 19, 4, 5, 0, time.UTC),
		ExpirationCurrDateDiff: 5,
	},
}

func TestDomainsListParams(t *testing.T) {
	c, ts := setup(t)
	ts.reply("QueryDomainList", 200, domainJSON)
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.UnixMilli(1735689600999)
	req := &ListDomainsRequest{
		QueryType: QueryNeedsRedemption, DomainName: "exa mple*",
		StartExpirationDate: start, EndExpirationDate: end,
		OrderKeyType: "ExpirationDate", OrderByType: "DESC",
		ProductDomainType: "gTLD", DomainGroupID: "7",
		PageNum: 2, PageSize: 50,
	}
	_, err := c.Domains.List(context.Background(), req)
	require.NoError(t, err)
	reqs := ts.requests()
	require.Len(t, reqs, 1)
	require.Equal(t, "POST", reqs[0].Method)
	assertParams(t, commonParams("QueryDomainList", map[string]string{
		"QueryType":           "2",
		"DomainName":          "exa mple*",
		"StartExpirationDate": strconv.FormatInt(start.UnixMilli(), 10),
		"EndExpirationDate":   "1735689600999",
		"OrderKeyType":        "ExpirationDate",
		"OrderByType":         "DESC",
		"ProductDomainType":   "gTLD",
		"DomainGroupId":       "7",
		"PageNum":             "2",
		"PageSize":            "50",
	}), reqs[0].Query)

	// Zero fields, and a nil request, send nothing but the common params.
	_, err = c.Domains.List(context.Background(), &ListDomainsRequest{})
	require.NoError(t, err)
	_, err = c.Domains.List(context.Background(), nil)
	require.NoError(t, err)
	reqs = ts.requests()
	require.Len(t, reqs, 3)
	// Zero paging fields are sent as the service's defaults, explicitly.
	defaults := map[string]string{"PageNum": "1", "PageSize": "20"}
	assertParams(t, commonParams("QueryDomainList", defaults), reqs[1].Query)
	assertParams(t, commonParams("QueryDomainList", defaults), reqs[2].Query)
}

func TestDomainsListDecode(t *testing.T) {
	c, ts := setup(t)
	ts.reply("QueryDomainList", 200, domainJSON)
	p, err := c.Domains.List(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, "R-D1", p.RequestID)
	require.Equal(t, 1, p.Attempts)
	require.Equal(t, Page{PageNum: 1, PageSize: 20, TotalPages: 1, TotalItems: 2, HasNext: false}, p.Page)
	require.Equal(t, wantDomains, p.Items)

	// RedeemDomain carries the exact expiration, milliseconds included.
	rd := p.Items[0].RedeemDomain()
	require.Equal(t, RedeemDomain{DomainName: "example.com", CurrentExpirationDate: time.UnixMilli(1709604245123).UTC()}, rd)
	require.Equal(t, int64(1709604245123), rd.CurrentExpirationDate.UnixMilli())
}

func TestDomainsListXML(t *testing.T) {
	c, ts := setup(t, func(o *Options) { o.Format = "XML" })
	ts.reply("QueryDomainList", 200, `<?xml version='1.0' encoding='UTF-8'?><QueryDomainListResponse>
<RequestId>R-X</RequestId><TotalItemNum>2</TotalItemNum><CurrentPageNum>1</CurrentPageNum><TotalPageNum>1</TotalPageNum>
<PageSize>20</PageSize><PrePage>false</PrePage><NextPage>false</NextPage>
<Data>
<Domain><DomainName>example.com</DomainName><InstanceId>S2019</InstanceId><ExpirationDate>2024-03-05 10:04:05</ExpirationDate>
<ExpirationDateLong>1709604245123</ExpirationDateLong><RegistrationDate>2014-03-05 10:04:05</RegistrationDate>
<RegistrationDateLong>1394085845000</RegistrationDateLong><DomainType>gTLD</DomainType><DomainStatus>2</DomainStatus>
<Premium>true</Premium><ExpirationCurrDateDiff>-31</ExpirationCurrDateDiff><Remark>keep</Remark><DomainGroupId>7</DomainGroupId></Domain>
<Domain><DomainName>example.cn</DomainName><InstanceId>S2020</InstanceId><ExpirationDate>2025-01-02 03:04:05</ExpirationDate>
<RegistrationDate>2015-01-02 03:04:05</RegistrationDate><DomainType>ccTLD</DomainType><DomainStatus>1</DomainStatus>
<Premium>false</Premium><ExpirationCurrDateDiff>5</ExpirationCurrDateDiff></Domain>
</Data></QueryDomainListResponse>`)
	p, err := c.Domains.List(context.Background(), nil)
	require.NoError(t, err)
	require.Equal(t, "XML", ts.requests()[0].Query.Get("Format"))
	require.Equal(t, "R-X", p.RequestID)
	require.Equal(t, Page{PageNum: 1, PageSize: 20, TotalPages: 1, TotalItems: 2}, p.Page)
	require.Equal(t, wantDomains, p.Items)

	// An XML page without domains.
	ts.reply("QueryDomainList", 200, `<QueryDomainListResponse><RequestId>R-E</RequestId><TotalItemNum>0</TotalItemNum><CurrentPageNum>1</CurrentPageNum><TotalPageNum>0</TotalPageNum><PageSize>20</PageSize><Data/></QueryDomainListResponse>`)
	p, err = c.Domains.List(context.Background(), nil)
	require.NoError(t, err)
	require.Empty(t, p.Items)
}

func TestDomainsListTolerant(t *testing.T) {
	// Without Data and with a non-zero total: an error, never an empty page.
	for _, data := range []string{``, `,"Data":null`} {
		c, ts := setup(t)
		ts.reply("QueryDomainList", 200, `{"RequestId":"R","TotalItemNum":"3","CurrentPageNum":"1","TotalPageNum":"1","PageSize":"20","NextPage":false`+data+`}`)
		_, err := c.Domains.List(context.Background(), nil)
		require.ErrorContains(t, err, "no Data", data)
	}
	for _, data := range []string{
		``,
		`,"Data":null`,
		`,"Data":""`,
		`,"Data":{}`,
		`,"Data":[]`,
		`,"Data":{"Domain":{}}`,
		`,"Data":{"Domain":""}`,
		`,"Data":{"Domain":[]}`,
		`,"Data":{"Domain":null}`,
	} {
		c, ts := setup(t)
		ts.reply("QueryDomainList", 200, `{"RequestId":"R","TotalItemNum":"0","CurrentPageNum":"1","TotalPageNum":"0","PageSize":"20","NextPage":false`+data+`}`)
		p, err := c.Domains.List(context.Background(), nil)
		require.NoError(t, err, data)
		require.Empty(t, p.Items, data)
		require.NotNil(t, p.Items, data)
		require.Equal(t, Page{PageNum: 1, PageSize: 20}, p.Page, data)
	}

	// One domain sent as an object instead of a list.
	c, ts := setup(t)
	ts.reply("QueryDomainList", 200, `{"RequestId":"R","TotalItemNum":1,"CurrentPageNum":1,"TotalPageNum":1,"PageSize":20,"Data":{"Domain":{"DomainName":"one.com","ExpirationDateLong":"1709604245123","DomainStatus":"3"}}}`)
	p, err := c.Domains.List(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, p.Items, 1)
	require.Equal(t, "one.com", p.Items[0].DomainName)
	require.Equal(t, DomainNormal, p.Items[0].DomainStatus)
	require.Equal(t, int64(1709604245123), p.Items[0].ExpirationDate.UnixMilli())
}

func TestDomainsListStrict(t *testing.T) {
	for name, body := range map[string]string{
		"no name":  `{"RequestId":"R-S","Data":{"Domain":[{"DomainName":"a.com"},{"InstanceId":"S1"}]}}`,
		"bad date": `{"RequestId":"R-S","Data":{"Domain":[{"DomainName":"a.com","ExpirationDate":"soon"}]}}`,
		"bad data": `{"RequestId":"R-S","Data":{"Domain":"garbage"}}`,
	} {
		c, ts := setup(t)
		ts.reply("QueryDomainList", 200, body)
		p, err := c.Domains.List(context.Background(), nil)
		require.Error(t, err, name)
		require.Nil(t, p, name)
		require.Len(t, ts.requests(), 1, "%s: a body that does not decode is not retried", name)
	}
}

func TestDomainsListValidation(t *testing.T) {
	c, ts := setup(t)
	ts.reply("QueryDomainList", 200, domainJSON)
	for field, req := range map[string]*ListDomainsRequest{
		"PageNum":           {PageNum: -1},
		"PageSize":          {PageSize: -5},
		"EndExpirationDate": {StartExpirationDate: time.Now(), EndExpirationDate: time.Now().Add(-time.Hour)},
	} {
		_, err := c.Domains.List(context.Background(), req)
		requireValidationField(t, err, field)
		_, errs := drainSeq(t, c.Domains.ListIter(context.Background(), req), 10)
		require.Len(t, errs, 1)
		requireValidationField(t, errs[0], field)
	}
	require.Empty(t, ts.requests(), "a request that fails validation is not sent")
}

// domainPage renders page n of total pages of QueryDomainList, per domains
// a page, named d<n>-<i>.com.
func domainPage(n, total, per int) string {
	var items []string
	for i := 1; i <= per; i++ {
		items = append(items, fmt.Sprintf(`{"DomainName":"d%d-%d.com","ExpirationDateLong":%d,"DomainStatus":"2"}`, n, i, 1700000000000+int64(n*100+i)))
	}
	return fmt.Sprintf(`{"RequestId":"R-%d","TotalItemNum":%d,"CurrentPageNum":%d,"TotalPageNum":%d,"PageSize":%d,"NextPage":%t,"Data":{"Domain":[%s]}}`,
		n, total*per, n, total, per, n < total, strings.Join(items, ","))
}

func TestDomainsListIterPages(t *testing.T) {
	c, ts := setup(t)
	servePagesOf(ts, "QueryDomainList", func(n int) string { return domainPage(n, 3, 2) })
	req := &ListDomainsRequest{QueryType: QueryNeedsRedemption, PageSize: 2}
	orig := *req
	seq := c.Domains.ListIter(context.Background(), req)
	require.Empty(t, ts.requests(), "ListIter sends nothing before the loop")

	names, errs := drainSeq(t, func(yield func(string, error) bool) {
		for d, err := range seq {
			if !yield(d.DomainName, err) {
				return
			}
		}
	}, 100)
	require.Empty(t, errs)
	require.Equal(t, []string{"d1-1.com", "d1-2.com", "d2-1.com", "d2-2.com", "d3-1.com", "d3-2.com"}, names)
	require.Equal(t, orig, *req, "the caller's request is not modified")

	reqs := ts.requests()
	require.Len(t, reqs, 3)
	for i, r := range reqs {
		assertParams(t, commonParams("QueryDomainList", map[string]string{
			"QueryType": "2", "PageSize": "2", "PageNum": strconv.Itoa(i + 1),
		}), r.Query)
	}

	// Changing the request after ListIter does not change the iteration.
	ts2c, ts2 := setup(t)
	servePagesOf(ts2, "QueryDomainList", func(n int) string { return domainPage(n, 2, 1) })
	req2 := &ListDomainsRequest{PageNum: 2}
	seq2 := ts2c.Domains.ListIter(context.Background(), req2)
	req2.PageNum = 1
	req2.DomainName = "changed"
	names = nil
	for d, err := range seq2 {
		require.NoError(t, err)
		names = append(names, d.DomainName)
	}
	require.Equal(t, []string{"d2-1.com"}, names, "starts at the PageNum given")
	require.Len(t, ts2.requests(), 1)
	assertParams(t, commonParams("QueryDomainList", map[string]string{"PageNum": "2", "PageSize": "20"}), ts2.requests()[0].Query)
}

func TestDomainsListIterEarlyBreak(t *testing.T) {
	c, ts := setup(t)
	servePagesOf(ts, "QueryDomainList", func(n int) string { return domainPage(n, 5, 3) })
	n := 0
	for d, err := range c.Domains.ListIter(context.Background(), nil) {
		require.NoError(t, err)
		n++
		if d.DomainName == "d2-1.com" {
			break
		}
	}
	require.Equal(t, 4, n)
	require.Len(t, ts.requests(), 2, "no request after the loop broke")
}

func TestDomainsListIterRepeatingPage(t *testing.T) {
	c, ts := setup(t)
	// Whatever page is asked, the server answers page 1 and says more follow.
	ts.reply("QueryDomainList", 200, domainPage(1, 4, 2))
	names, errs := drainSeq(t, func(yield func(string, error) bool) {
		for d, err := range c.Domains.ListIter(context.Background(), nil) {
			if !yield(d.DomainName, err) {
				return
			}
		}
	}, 50)
	require.Equal(t, []string{"d1-1.com", "d1-2.com"}, names)
	require.Len(t, errs, 1)
	require.Len(t, ts.requests(), 2)
}

func TestDomainsListIterErrorStops(t *testing.T) {
	c, ts := setup(t)
	ts.handle("QueryDomainList", func(w http.ResponseWriter, r *http.Request) {
		if askedPage(r) == 2 {
			w.WriteHeader(400)
			io.WriteString(w, `{"Code":"InvalidParameter","Message":"bad page","RequestId":"R-E"}`)
			return
		}
		io.WriteString(w, domainPage(askedPage(r), 3, 1))
	})
	var names []string
	var errs []error
	for d, err := range c.Domains.ListIter(context.Background(), nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		names = append(names, d.DomainName)
	}
	require.Equal(t, []string{"d1-1.com"}, names)
	require.Len(t, errs, 1)
	var apiErr *APIError
	require.True(t, errors.As(errs[0], &apiErr))
	require.Equal(t, "InvalidParameter", apiErr.Code)
	require.Len(t, ts.requests(), 2)
}

func TestDomainEnumsString(t *testing.T) {
	require.Equal(t, "needs renewal", DomainNeedsRenewal.String())
	require.Equal(t, "needs redemption", DomainNeedsRedemption.String())
	require.Equal(t, "normal", DomainNormal.String())
	require.Equal(t, "DomainStatus(9)", DomainStatus(9).String())
	require.Equal(t, "needs renewal", QueryNeedsRenewal.String())
	require.Equal(t, "needs redemption", QueryNeedsRedemption.String())
	require.Equal(t, "all", DomainQueryType("").String())
	require.Equal(t, `DomainQueryType("x")`, DomainQueryType("x").String())
}
