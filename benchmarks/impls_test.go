package benchmarks_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/domain"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/benchmarks/internal/fixture"
	"github.com/alidomain/alidomain/benchmarks/internal/floor"
	"github.com/alidomain/alidomain/benchmarks/internal/stdlibsdk"
	"github.com/alidomain/alidomain/benchmarks/internal/v2domain"
)

// caller makes the benchmarked call for a batch and returns the TaskNo.
// Building the implementation's own request types from the batch is part
// of the call, as it is in a program.
type caller func(ctx context.Context, batch []fixture.Domain) (string, error)

// impl is one implementation of the call. newCaller gets the test server's
// base URL (http://127.0.0.1:port) and, for in-process runs, the
// RoundTripper to send with; rt nil means the implementation's default
// networking, as a program would use it.
type impl struct {
	name      string
	newCaller func(base string, rt http.RoundTripper) (caller, error)
	// flagsOptional: the implementation does not send UseCoupon and
	// UsePromotion (the floor, kept as it is), so it sends two parameters
	// fewer than the others.
	flagsOptional bool
}

var impls = []impl{
	{"alidomain", func(base string, rt http.RoundTripper) (caller, error) {
		return newAlidomain(base, rt, alidomain.SignatureV2)
	}, false},
	{"alidomain-v3", func(base string, rt http.RoundTripper) (caller, error) {
		return newAlidomain(base, rt, alidomain.SignatureV3)
	}, false},
	{"floor", newFloor, true},
	{"official-v1", newOfficialV1, false},
	{"official-v2-hmac-sha1", func(base string, rt http.RoundTripper) (caller, error) { return newOfficialV2(base, rt, "v2") }, false},
	{"official-v2-acs3", func(base string, rt http.RoundTripper) (caller, error) { return newOfficialV2(base, rt, "") }, false},
	{"stdlib", newStdlib, false},
}

// newFloor calls the floor package (../shared/bench/floor, copied as it
// is): the least work any implementation of the call has to do.
func newFloor(base string, rt http.RoundTripper) (caller, error) {
	hc := &http.Client{Timeout: 30 * time.Second}
	if rt != nil {
		hc.Transport = rt
	} else {
		hc.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	c := &floor.Common{AccessKeyID: fixture.AccessKeyID, AccessKeySecret: fixture.AccessKeySecret, Method: http.MethodPost}
	return func(_ context.Context, batch []fixture.Domain) (string, error) {
		items := make([]floor.Item, len(batch))
		for i, d := range batch {
			items[i] = floor.Item{DomainName: d.Name, CurrentExpirationDate: d.Millis()}
		}
		return floor.Call(hc, base+"/", c, items)
	}, nil
}

// newAlidomain calls Redeem.SubmitBatch of this SDK, signing with sig.
func newAlidomain(base string, rt http.RoundTripper, sig alidomain.SignatureVersion) (caller, error) {
	opts := alidomain.Options{
		Signature:   sig,
		Endpoint:    base + "/",
		Credentials: alidomain.StaticCredentials(fixture.AccessKeyID, fixture.AccessKeySecret),
		// The wire the official SDKs send, whatever the batch's size.
		Params: alidomain.ParamsQuery,
	}
	if rt != nil {
		opts.HTTPClient = &http.Client{Transport: rt}
	}
	c, err := alidomain.New(opts)
	if err != nil {
		return nil, err
	}
	return func(ctx context.Context, batch []fixture.Domain) (string, error) {
		req := &alidomain.BatchRedeemRequest{Domains: make([]alidomain.RedeemDomain, len(batch))}
		for i, d := range batch {
			req.Domains[i] = alidomain.RedeemDomain{DomainName: d.Name, CurrentExpirationDate: d.Expires}
		}
		res, err := c.Redeem.SubmitBatch(ctx, req)
		if err != nil {
			return "", err
		}
		return res.TaskNo, nil
	}, nil
}

// newOfficialV1 calls the v1 SDK's generated
// domain.Client.SaveBatchTaskForCreatingOrderRedeem.
func newOfficialV1(base string, rt http.RoundTripper) (caller, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	c, err := domain.NewClientWithAccessKey("cn-hangzhou", fixture.AccessKeyID, fixture.AccessKeySecret)
	if err != nil {
		return nil, err
	}
	if rt != nil {
		c.SetTransport(rt)
	}
	return func(_ context.Context, batch []fixture.Domain) (string, error) {
		req := newV1Request(u.Host, batch)
		res, err := c.SaveBatchTaskForCreatingOrderRedeem(req)
		if err != nil {
			return "", err
		}
		return res.TaskNo, nil
	}, nil
}

// newV1Request builds the v1 SDK's request for batch, sent to host over
// plain HTTP.
func newV1Request(host string, batch []fixture.Domain) *domain.SaveBatchTaskForCreatingOrderRedeemRequest {
	req := domain.CreateSaveBatchTaskForCreatingOrderRedeemRequest()
	req.Scheme = "http"
	req.Domain = host
	req.UseCoupon = requests.NewBoolean(false)
	req.UsePromotion = requests.NewBoolean(false)
	params := make([]domain.SaveBatchTaskForCreatingOrderRedeemOrderRedeemParam, len(batch))
	for i, d := range batch {
		params[i] = domain.SaveBatchTaskForCreatingOrderRedeemOrderRedeemParam{
			DomainName:            d.Name,
			CurrentExpirationDate: strconv.FormatInt(d.Millis(), 10),
		}
	}
	req.OrderRedeemParam = &params
	return req
}

// daraHTTPClient lets the v2 runtime send through an http.Client of ours.
type daraHTTPClient struct{ c *http.Client }

func (d daraHTTPClient) Call(req *http.Request, _ *http.Transport) (*http.Response, error) {
	return d.c.Do(req)
}

// newOfficialV2 calls CallApi of the v2 runtime as the generated client
// does, with SignatureAlgorithm "v2" (RPC HMAC-SHA1) or, when algorithm is
// empty, its default ACS3-HMAC-SHA256.
func newOfficialV2(base string, rt http.RoundTripper, algorithm string) (caller, error) {
	u, err := url.Parse(base)
	if err != nil {
		return nil, err
	}
	cfg := &openapiutil.Config{
		AccessKeyId:     dara.String(fixture.AccessKeyID),
		AccessKeySecret: dara.String(fixture.AccessKeySecret),
		Endpoint:        dara.String(u.Host),
		Protocol:        dara.String("http"),
	}
	if algorithm != "" {
		cfg.SignatureAlgorithm = dara.String(algorithm)
	}
	if rt != nil {
		cfg.HttpClient = daraHTTPClient{&http.Client{Transport: rt}}
	}
	c, err := openapi.NewClient(cfg)
	if err != nil {
		return nil, err
	}
	return func(_ context.Context, batch []fixture.Domain) (string, error) {
		res, err := v2domain.SaveBatchTaskForCreatingOrderRedeem(c, newV2Request(batch), &dara.RuntimeOptions{})
		if err != nil {
			return "", err
		}
		if res.Body == nil || res.Body.TaskNo == nil {
			return "", errors.New("no TaskNo in the answer")
		}
		return *res.Body.TaskNo, nil
	}, nil
}

// newV2Request builds the v2 request model for batch.
func newV2Request(batch []fixture.Domain) *v2domain.Request {
	req := &v2domain.Request{
		UseCoupon:        dara.Bool(false),
		UsePromotion:     dara.Bool(false),
		OrderRedeemParam: make([]*v2domain.OrderRedeemParam, len(batch)),
	}
	for i, d := range batch {
		req.OrderRedeemParam[i] = &v2domain.OrderRedeemParam{
			DomainName:            dara.String(d.Name),
			CurrentExpirationDate: dara.Int64(d.Millis()),
		}
	}
	return req
}

// newStdlib calls the straightforward standard-library implementation.
func newStdlib(base string, rt http.RoundTripper) (caller, error) {
	hc := &http.Client{Timeout: 30 * time.Second}
	if rt != nil {
		hc.Transport = rt
	} else {
		hc.Transport = http.DefaultTransport.(*http.Transport).Clone()
	}
	c := &stdlibsdk.Client{
		Endpoint:        base + "/",
		AccessKeyID:     fixture.AccessKeyID,
		AccessKeySecret: fixture.AccessKeySecret,
		HTTPClient:      hc,
	}
	return func(ctx context.Context, batch []fixture.Domain) (string, error) {
		return c.SaveBatchRedeem(ctx, stdlibDomains(batch))
	}, nil
}

func stdlibDomains(batch []fixture.Domain) []stdlibsdk.Domain {
	ds := make([]stdlibsdk.Domain, len(batch))
	for i, d := range batch {
		ds[i] = stdlibsdk.Domain{Name: d.Name, ExpiresMillis: d.Millis()}
	}
	return ds
}

// mustTask checks the answer of a call.
func mustTask(task string, err error) error {
	if err != nil {
		return err
	}
	if task != fixture.TaskNo {
		return fmt.Errorf("TaskNo %q, want %q", task, fixture.TaskNo)
	}
	return nil
}
