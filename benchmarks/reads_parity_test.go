package benchmarks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/domain"

	"github.com/alidomain/alidomain"
)

// readsServer records the query of every request and answers each read
// action with a body that echoes what was asked, so that both SDKs accept it.
type readsServer struct {
	*httptest.Server
	mu      sync.Mutex
	queries []url.Values
}

func newReadsServer(t *testing.T) *readsServer {
	rs := &readsServer{}
	rs.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		q := r.URL.Query()
		rs.mu.Lock()
		rs.queries = append(rs.queries, q)
		rs.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		name, _ := json.Marshal(q.Get("DomainName"))
		switch q.Get("Action") {
		case "CheckDomain":
			fmt.Fprintf(w, `{"RequestId":"R","DomainName":%s,"Avail":"1","Premium":"false"}`, name)
		case "QueryDomainByDomainName":
			fmt.Fprintf(w, `{"RequestId":"R","DomainName":%s,"ExpirationDateLong":1700000000000}`, name)
		case "SetupDomainAutoRenew":
			io.WriteString(w, `{"RequestId":"R","Result":true}`)
		case "QueryDomainRealTimePrice":
			var items []struct {
				Action, DomainName string
				Period             int
			}
			json.Unmarshal([]byte(q.Get("DomainItem")), &items)
			prices := []map[string]any{}
			for _, it := range items {
				prices = append(prices, map[string]any{"DomainName": it.DomainName, "Action": it.Action, "Period": it.Period, "Currency": q.Get("Currency"), "Price": 1.5, "Avail": 1})
			}
			json.NewEncoder(w).Encode(map[string]any{"RequestId": "R", "Success": true, "HttpStatusCode": 200, "Module": map[string]any{"DomainPrices": prices}})
		default:
			w.WriteHeader(404)
			io.WriteString(w, `{"RequestId":"R","Code":"InvalidAction.NotFound"}`)
		}
	}))
	t.Cleanup(rs.Close)
	return rs
}

func (rs *readsServer) last(t *testing.T) url.Values {
	rs.mu.Lock()
	defer rs.mu.Unlock()
	if len(rs.queries) == 0 {
		t.Fatal("no request received")
	}
	return rs.queries[len(rs.queries)-1]
}

func readsClients(t *testing.T) (*alidomain.Client, *domain.Client, *readsServer, string) {
	rs := newReadsServer(t)
	c, err := alidomain.New(alidomain.Options{Endpoint: rs.URL, Credentials: alidomain.StaticCredentials("testid", "testsecret")})
	if err != nil {
		t.Fatal(err)
	}
	v1, err := domain.NewClientWithAccessKey("cn-hangzhou", "testid", "testsecret")
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(rs.URL)
	return c, v1, rs, u.Host
}

// CheckDomain, QueryDomainByDomainName and SetupDomainAutoRenew send exactly
// what the official v1 SDK sends for the same input, non-ASCII names
// included.
func TestReadsSendWhatV1Sends(t *testing.T) {
	ctx := context.Background()
	for _, name := range parityNames()[:3] {
		t.Run("CheckDomain/"+name, func(t *testing.T) {
			c, v1, rs, host := readsClients(t)
			if _, err := c.Domains.Check(ctx, &alidomain.CheckDomainRequest{DomainName: name, FeeCommand: alidomain.PriceRenew, FeeCurrency: "USD", FeePeriod: 3, Lang: "zh"}); err != nil {
				t.Fatal(err)
			}
			ours := rs.last(t)
			r := domain.CreateCheckDomainRequest()
			v1Rpc(r.RpcRequest, host)
			r.DomainName, r.FeeCommand, r.FeeCurrency, r.FeePeriod, r.Lang = name, "renew", "USD", requests.NewInteger(3), "zh"
			if _, err := v1.CheckDomain(r); err != nil {
				t.Fatal(err)
			}
			compareWithV1(t, ours, rs.last(t))
		})
		t.Run("QueryDomainByDomainName/"+name, func(t *testing.T) {
			c, v1, rs, host := readsClients(t)
			if _, err := c.Domains.Get(ctx, &alidomain.GetDomainRequest{DomainName: name, UserClientIP: "127.0.0.1", Lang: "en"}); err != nil {
				t.Fatal(err)
			}
			ours := rs.last(t)
			r := domain.CreateQueryDomainByDomainNameRequest()
			v1Rpc(r.RpcRequest, host)
			r.DomainName, r.UserClientIp, r.Lang = name, "127.0.0.1", "en"
			if _, err := v1.QueryDomainByDomainName(r); err != nil {
				t.Fatal(err)
			}
			compareWithV1(t, ours, rs.last(t))
		})
	}
	for _, on := range []bool{true, false} {
		t.Run(fmt.Sprintf("SetupDomainAutoRenew/%v", on), func(t *testing.T) {
			c, v1, rs, host := readsClients(t)
			if _, err := c.Domains.SetAutoRenew(ctx, "S2019270W570xxxx", on); err != nil {
				t.Fatal(err)
			}
			ours := rs.last(t)
			r := domain.CreateSetupDomainAutoRenewRequest()
			v1Rpc(r.RpcRequest, host)
			r.InstanceId, r.Operation = "S2019270W570xxxx", map[bool]string{true: "SET", false: "CANCEL"}[on]
			if _, err := v1.SetupDomainAutoRenew(r); err != nil {
				t.Fatal(err)
			}
			compareWithV1(t, ours, rs.last(t))
		})
	}
}

// v2PriceItem is the v2 model of one DomainItem entry (docs/wire.md, Parameters sent as JSON), with
// the pointer fields and omitempty keys of the generated models.
type v2PriceItem struct {
	Action     *string `json:"Action,omitempty"`
	DomainName *string `json:"DomainName,omitempty"`
	Period     *int32  `json:"Period,omitempty"`
	Suffix     *string `json:"Suffix,omitempty"`
}

// QueryDomainRealTimePrice exists only in the v2 SDK: its DomainItem is
// made as the generated client makes it (ArrayToStringWithSpecifiedStyle
// "json", dara.Stringify) and sent through the official v2 runtime with RPC
// signing; alidomain sends the same parameters, 12 items and non-ASCII names
// included, apart from the runtime's lower-case Format.
func TestRealTimePriceSendsWhatV2Sends(t *testing.T) {
	rs := newReadsServer(t)
	c, err := alidomain.New(alidomain.Options{Endpoint: rs.URL, Credentials: alidomain.StaticCredentials("testid", "testsecret")})
	if err != nil {
		t.Fatal(err)
	}
	names := parityNames()
	req := &alidomain.PriceRequest{Currency: "USD"}
	var items []*v2PriceItem
	for i, n := range names {
		// Years differ where parityNames holds one IDN in both forms.
		it := alidomain.PriceItem{Action: alidomain.PriceRenew, DomainName: n, Years: i%9 + 1}
		v2 := &v2PriceItem{Action: dara.String("renew"), DomainName: dara.String(n), Period: dara.Int32(int32(i%9 + 1))}
		if i == 0 {
			it.Suffix, v2.Suffix = "example", dara.String("example")
		}
		req.Items = append(req.Items, it)
		items = append(items, v2)
	}
	res, err := c.Domains.Price(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Prices) != len(names) {
		t.Fatalf("%d prices for %d items", len(res.Prices), len(names))
	}
	ours := rs.last(t)

	u, _ := url.Parse(rs.URL)
	v2, err := openapi.NewClient(&openapiutil.Config{
		AccessKeyId: dara.String("testid"), AccessKeySecret: dara.String("testsecret"),
		Endpoint: dara.String(u.Host), Protocol: dara.String("http"), SignatureAlgorithm: dara.String("v2"),
	})
	if err != nil {
		t.Fatal(err)
	}
	query := openapiutil.Query(map[string]interface{}{
		"Currency":   dara.String("USD"),
		"DomainItem": openapiutil.ArrayToStringWithSpecifiedStyle(items, dara.String("DomainItem"), dara.String("json")),
	})
	params := &openapiutil.Params{
		Action: dara.String("QueryDomainRealTimePrice"), Version: dara.String("2018-01-29"), Protocol: dara.String("HTTPS"),
		Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"), Style: dara.String("RPC"),
		ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
	}
	if _, err := v2.CallApi(params, &openapiutil.OpenApiRequest{Query: query}, &dara.RuntimeOptions{}); err != nil {
		t.Fatal(err)
	}
	theirs := rs.last(t)

	if got, want := ours.Get("DomainItem"), theirs.Get("DomainItem"); got != want {
		t.Fatalf("DomainItem:\nalidomain %s\nv2        %s", got, want)
	}
	diff := map[string][2]string{"Format": {"JSON", "json"}} // the v2 runtime's own spelling
	for k, vs := range theirs {
		if d, ok := diff[k]; ok {
			if ours.Get(k) != d[0] || vs[0] != d[1] {
				t.Errorf("%s: alidomain %q, v2 %q; expected %q and %q", k, ours.Get(k), vs[0], d[0], d[1])
			}
			continue
		}
		if masked := k == "Signature" || k == "SignatureNonce" || k == "Timestamp"; masked {
			if ours.Get(k) == "" {
				t.Errorf("%s missing", k)
			}
			continue
		}
		if len(vs) != 1 || len(ours[k]) != 1 || ours.Get(k) != vs[0] {
			t.Errorf("%s: alidomain %q, v2 %q", k, ours[k], vs)
		}
	}
	for k := range ours {
		if _, ok := theirs[k]; !ok {
			t.Errorf("%s=%q sent by alidomain only", k, ours.Get(k))
		}
	}
}
