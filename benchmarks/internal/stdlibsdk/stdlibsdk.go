// Package stdlibsdk is the call written straightforwardly with the standard
// library only, as a careful programmer would write it without an SDK:
// collect the parameters in a map, sort the keys, percent-encode, HMAC-SHA1,
// http.NewRequest, encoding/json. It is the baseline that the benchmarks
// compare the SDKs with; it does no validation, retries or logging.
package stdlibsdk

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Domain is one domain to redeem.
type Domain struct {
	Name          string
	ExpiresMillis int64
}

// Client calls SaveBatchTaskForCreatingOrderRedeem.
type Client struct {
	Endpoint        string // such as https://domain.aliyuncs.com/
	AccessKeyID     string
	AccessKeySecret string
	HTTPClient      *http.Client
}

// SaveBatchRedeem submits the batch and returns the task number.
func (c *Client) SaveBatchRedeem(ctx context.Context, domains []Domain) (string, error) {
	req, err := c.NewRequest(ctx, domains, time.Now(), nonce())
	if err != nil {
		return "", err
	}
	resp, err := c.HTTPClient.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", err
	}
	var out struct {
		RequestID string `json:"RequestId"`
		TaskNo    string `json:"TaskNo"`
		Code      string `json:"Code"`
		Message   string `json:"Message"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		return "", fmt.Errorf("HTTP %d: %w", resp.StatusCode, err)
	}
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("HTTP %d: %s: %s (RequestId %s)", resp.StatusCode, out.Code, out.Message, out.RequestID)
	}
	return out.TaskNo, nil
}

// NewRequest builds the signed request.
func (c *Client) NewRequest(ctx context.Context, domains []Domain, now time.Time, nonce string) (*http.Request, error) {
	params := map[string]string{
		"Action":           "SaveBatchTaskForCreatingOrderRedeem",
		"Version":          "2018-01-29",
		"Format":           "JSON",
		"AccessKeyId":      c.AccessKeyID,
		"SignatureMethod":  "HMAC-SHA1",
		"SignatureVersion": "1.0",
		"SignatureNonce":   nonce,
		"Timestamp":        now.UTC().Format("2006-01-02T15:04:05Z"),
		"UseCoupon":        "false",
		"UsePromotion":     "false",
	}
	for i, d := range domains {
		params[fmt.Sprintf("OrderRedeemParam.%d.DomainName", i+1)] = d.Name
		params[fmt.Sprintf("OrderRedeemParam.%d.CurrentExpirationDate", i+1)] = strconv.FormatInt(d.ExpiresMillis, 10)
	}
	query := CanonicalQuery(params)
	stringToSign := "POST&" + PercentEncode("/") + "&" + PercentEncode(query)
	mac := hmac.New(sha1.New, []byte(c.AccessKeySecret+"&"))
	mac.Write([]byte(stringToSign))
	signature := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	u := c.Endpoint + "?" + query + "&Signature=" + PercentEncode(signature)
	return http.NewRequestWithContext(ctx, http.MethodPost, u, nil)
}

// CanonicalQuery sorts the parameters by key and joins the percent-encoded
// key=value pairs with &.
func CanonicalQuery(params map[string]string) string {
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(PercentEncode(k))
		b.WriteByte('=')
		b.WriteString(PercentEncode(params[k]))
	}
	return b.String()
}

// PercentEncode encodes s per RFC 3986, the usual way: url.QueryEscape,
// then fix its three differences.
func PercentEncode(s string) string {
	s = url.QueryEscape(s)
	s = strings.ReplaceAll(s, "+", "%20")
	s = strings.ReplaceAll(s, "*", "%2A")
	s = strings.ReplaceAll(s, "%7E", "~")
	return s
}

func nonce() string {
	var b [16]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
