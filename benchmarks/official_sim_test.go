package benchmarks_test

import (
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/domain"

	"github.com/alidomain/alidomain/alidomaintest"
	"github.com/alidomain/alidomain/benchmarks/internal/v2domain"
)

// officialOps are the five original operations as one official SDK calls
// them; each returns what the test checks of the answer.
type officialOps interface {
	batchRedeem(names []string, expires int64) (taskNo string, err error)
	singleRedeem(name string, expires int64) (taskNo string, err error)
	domainList() (names []string, err error)
	taskList() (taskNos []string, err error)
	taskDetails(taskNo string) (names []string, err error)
}

// v1Ops calls the v1 SDK's generated domain client.
type v1Ops struct {
	c    *domain.Client
	host string
}

func newV1Ops(t *testing.T, srv *alidomaintest.Server, secret string) officialOps {
	c, err := domain.NewClientWithAccessKey("cn-hangzhou", srv.AccessKeyID, secret)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return v1Ops{c, u.Host}
}

func (o v1Ops) batchRedeem(names []string, expires int64) (string, error) {
	req := domain.CreateSaveBatchTaskForCreatingOrderRedeemRequest()
	v1Rpc(req.RpcRequest, o.host)
	params := make([]domain.SaveBatchTaskForCreatingOrderRedeemOrderRedeemParam, len(names))
	for i, n := range names {
		params[i] = domain.SaveBatchTaskForCreatingOrderRedeemOrderRedeemParam{DomainName: n, CurrentExpirationDate: strconv.FormatInt(expires, 10)}
	}
	req.OrderRedeemParam = &params
	res, err := o.c.SaveBatchTaskForCreatingOrderRedeem(req)
	if err != nil {
		return "", err
	}
	return res.TaskNo, nil
}

func (o v1Ops) singleRedeem(name string, expires int64) (string, error) {
	req := domain.CreateSaveSingleTaskForCreatingOrderRedeemRequest()
	v1Rpc(req.RpcRequest, o.host)
	req.DomainName = name
	req.CurrentExpirationDate = requests.NewInteger64(expires)
	res, err := o.c.SaveSingleTaskForCreatingOrderRedeem(req)
	if err != nil {
		return "", err
	}
	return res.TaskNo, nil
}

func (o v1Ops) domainList() ([]string, error) {
	req := domain.CreateQueryDomainListRequest()
	v1Rpc(req.RpcRequest, o.host)
	req.PageNum, req.PageSize = requests.NewInteger(1), requests.NewInteger(100)
	res, err := o.c.QueryDomainList(req)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range res.Data.Domain {
		names = append(names, d.DomainName)
	}
	return names, nil
}

func (o v1Ops) taskList() ([]string, error) {
	req := domain.CreateQueryTaskListRequest()
	v1Rpc(req.RpcRequest, o.host)
	req.PageNum, req.PageSize = requests.NewInteger(1), requests.NewInteger(100)
	res, err := o.c.QueryTaskList(req)
	if err != nil {
		return nil, err
	}
	var nos []string
	for _, ti := range res.Data.TaskInfo {
		nos = append(nos, ti.TaskNo)
	}
	return nos, nil
}

func (o v1Ops) taskDetails(taskNo string) ([]string, error) {
	req := domain.CreateQueryTaskDetailListRequest()
	v1Rpc(req.RpcRequest, o.host)
	req.TaskNo = taskNo
	req.PageNum, req.PageSize = requests.NewInteger(1), requests.NewInteger(100)
	res, err := o.c.QueryTaskDetailList(req)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, d := range res.Data.TaskDetail {
		names = append(names, d.DomainName)
	}
	return names, nil
}

// v2Ops calls CallApi of the official v2 runtime as its generated clients
// do, with the given SignatureAlgorithm ("" for its default, V3).
type v2Ops struct{ c *openapi.Client }

func newV2Ops(t *testing.T, srv *alidomaintest.Server, secret, algorithm string) officialOps {
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &openapiutil.Config{
		AccessKeyId: dara.String(srv.AccessKeyID), AccessKeySecret: dara.String(secret),
		Endpoint: dara.String(u.Host), Protocol: dara.String("http"),
	}
	if algorithm != "" {
		cfg.SignatureAlgorithm = dara.String(algorithm)
	}
	c, err := openapi.NewClient(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return v2Ops{c}
}

// call runs action with query and returns the answer's body.
func (o v2Ops) call(action string, query map[string]*string) (map[string]any, error) {
	params := v2domain.Params()
	params.Action = dara.String(action)
	res, err := o.c.CallApi(params, &openapiutil.OpenApiRequest{Query: query}, &dara.RuntimeOptions{})
	if err != nil {
		return nil, err
	}
	body, ok := res["body"].(map[string]any)
	if !ok {
		return nil, fmt.Errorf("%s: no JSON body in %v", action, res)
	}
	return body, nil
}

// listed returns the field key of each object in body's Data.list.
func listed(body map[string]any, list, key string) []string {
	data, _ := body["Data"].(map[string]any)
	items, _ := data[list].([]any)
	var out []string
	for _, it := range items {
		m, _ := it.(map[string]any)
		s, _ := m[key].(string)
		out = append(out, s)
	}
	return out
}

func taskNoOf(body map[string]any) string {
	s, _ := body["TaskNo"].(string)
	return s
}

func (o v2Ops) batchRedeem(names []string, expires int64) (string, error) {
	req := &v2domain.Request{}
	for _, n := range names {
		req.OrderRedeemParam = append(req.OrderRedeemParam, &v2domain.OrderRedeemParam{DomainName: dara.String(n), CurrentExpirationDate: dara.Int64(expires)})
	}
	body, err := o.call("SaveBatchTaskForCreatingOrderRedeem", v2domain.Query(req))
	return taskNoOf(body), err
}

func (o v2Ops) singleRedeem(name string, expires int64) (string, error) {
	body, err := o.call("SaveSingleTaskForCreatingOrderRedeem", openapiutil.Query(map[string]any{
		"DomainName": dara.String(name), "CurrentExpirationDate": dara.Int64(expires),
	}))
	return taskNoOf(body), err
}

func (o v2Ops) domainList() ([]string, error) {
	body, err := o.call("QueryDomainList", openapiutil.Query(map[string]any{"PageNum": dara.Int32(1), "PageSize": dara.Int32(100)}))
	return listed(body, "Domain", "DomainName"), err
}

func (o v2Ops) taskList() ([]string, error) {
	body, err := o.call("QueryTaskList", openapiutil.Query(map[string]any{"PageNum": dara.Int32(1), "PageSize": dara.Int32(100)}))
	return listed(body, "TaskInfo", "TaskNo"), err
}

func (o v2Ops) taskDetails(taskNo string) ([]string, error) {
	body, err := o.call("QueryTaskDetailList", openapiutil.Query(map[string]any{
		"TaskNo": dara.String(taskNo), "PageNum": dara.Int32(1), "PageSize": dara.Int32(100),
	}))
	return listed(body, "TaskDetail", "DomainName"), err
}

var officialSDKs = []struct {
	name string
	ops  func(t *testing.T, srv *alidomaintest.Server, secret string) officialOps
}{
	{"v1", newV1Ops},
	{"v2-default-v3", func(t *testing.T, srv *alidomaintest.Server, secret string) officialOps {
		return newV2Ops(t, srv, secret, "")
	}},
	{"v2-hmac-sha1", func(t *testing.T, srv *alidomaintest.Server, secret string) officialOps {
		return newV2Ops(t, srv, secret, "v2")
	}},
}

// The official v1 SDK and the official v2 runtime (its default V3 and V2
// signing) run the five original operations against the simulator, which
// verifies their signatures: the orders are booked, and the reads report
// the domains and tasks.
func TestOfficialSDKsAgainstSimulator(t *testing.T) {
	for _, sdk := range officialSDKs {
		t.Run(sdk.name, func(t *testing.T) {
			srv := alidomaintest.NewServer()
			defer srv.Close()
			expires := time.Now().Add(-40 * 24 * time.Hour).Truncate(time.Millisecond)
			batch, single := []string{"batch-a.example", "batch-b.example"}, "single.example"
			for _, n := range append(slices.Clone(batch), single) {
				srv.AddDomain(n, expires)
			}
			ops := sdk.ops(t, srv, srv.AccessKeySecret)

			batchNo, err := ops.batchRedeem(batch, expires.UnixMilli())
			if err != nil || batchNo == "" {
				t.Fatalf("batch redeem: TaskNo %q, %v", batchNo, err)
			}
			singleNo, err := ops.singleRedeem(single, expires.UnixMilli())
			if err != nil || singleNo == "" {
				t.Fatalf("single redeem: TaskNo %q, %v", singleNo, err)
			}
			for _, n := range append(slices.Clone(batch), single) {
				if got := srv.Orders(n); got != 1 {
					t.Errorf("%s: %d orders, want 1", n, got)
				}
			}

			names, err := ops.domainList()
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range append(slices.Clone(batch), single) {
				if !slices.Contains(names, n) {
					t.Errorf("QueryDomainList: %s not in %v", n, names)
				}
			}
			nos, err := ops.taskList()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(nos, batchNo) || !slices.Contains(nos, singleNo) {
				t.Errorf("QueryTaskList: %v, want %s and %s", nos, batchNo, singleNo)
			}
			details, err := ops.taskDetails(batchNo)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(details)
			if !slices.Equal(details, batch) {
				t.Errorf("QueryTaskDetailList(%s): %v, want %v", batchNo, details, batch)
			}
		})
	}
}

// With a wrong secret, each of the five operations of each official SDK is
// refused SignatureDoesNotMatch by the simulator, and nothing is ordered.
func TestOfficialSDKsWrongSecret(t *testing.T) {
	for _, sdk := range officialSDKs {
		t.Run(sdk.name, func(t *testing.T) {
			srv := alidomaintest.NewServer()
			defer srv.Close()
			expires := time.Now().Add(-40 * 24 * time.Hour).Truncate(time.Millisecond)
			srv.AddDomain("a.example", expires)
			ops := sdk.ops(t, srv, srv.AccessKeySecret+"x")
			calls := map[string]func() error{
				"SaveBatchTaskForCreatingOrderRedeem": func() error {
					_, err := ops.batchRedeem([]string{"a.example"}, expires.UnixMilli())
					return err
				},
				"SaveSingleTaskForCreatingOrderRedeem": func() error {
					_, err := ops.singleRedeem("a.example", expires.UnixMilli())
					return err
				},
				"QueryDomainList":     func() error { _, err := ops.domainList(); return err },
				"QueryTaskList":       func() error { _, err := ops.taskList(); return err },
				"QueryTaskDetailList": func() error { _, err := ops.taskDetails("T-1"); return err },
			}
			for action, call := range calls {
				err := call()
				if err == nil || !strings.Contains(err.Error(), "SignatureDoesNotMatch") {
					t.Errorf("%s: %v, want SignatureDoesNotMatch", action, err)
				}
			}
			if n := srv.Submissions("a.example"); n != 0 {
				t.Errorf("%d submissions with a wrong secret", n)
			}
		})
	}
}
