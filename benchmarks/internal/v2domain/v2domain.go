// Package v2domain calls SaveBatchTaskForCreatingOrderRedeem through the
// official v2 runtime (darabonba-openapi Client.CallApi) the way the
// generated domain-20180129 client does: a request model with pointer
// fields, a query map holding the fields that are set, openapiutil.Query to
// flatten it, RPC Params (POST, formData, json), CallApi, then dara.Convert
// into the response model. The generated module is not served by the module
// proxy reachable here, so this package stands in for its one operation; it
// was written for these benchmarks, not copied.
package v2domain

import (
	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
)

// OrderRedeemParam is one domain of the batch.
type OrderRedeemParam struct {
	CurrentExpirationDate *int64  `json:"CurrentExpirationDate,omitempty" xml:"CurrentExpirationDate,omitempty"`
	DomainName            *string `json:"DomainName,omitempty" xml:"DomainName,omitempty"`
}

// Request is the operation's input.
type Request struct {
	CouponNo         *string             `json:"CouponNo,omitempty" xml:"CouponNo,omitempty"`
	Lang             *string             `json:"Lang,omitempty" xml:"Lang,omitempty"`
	OrderRedeemParam []*OrderRedeemParam `json:"OrderRedeemParam,omitempty" xml:"OrderRedeemParam,omitempty" type:"Repeated"`
	PromotionNo      *string             `json:"PromotionNo,omitempty" xml:"PromotionNo,omitempty"`
	UseCoupon        *bool               `json:"UseCoupon,omitempty" xml:"UseCoupon,omitempty"`
	UsePromotion     *bool               `json:"UsePromotion,omitempty" xml:"UsePromotion,omitempty"`
	UserClientIp     *string             `json:"UserClientIp,omitempty" xml:"UserClientIp,omitempty"`
}

// ResponseBody is the operation's answer.
type ResponseBody struct {
	RequestId *string `json:"RequestId,omitempty" xml:"RequestId,omitempty"`
	TaskNo    *string `json:"TaskNo,omitempty" xml:"TaskNo,omitempty"`
}

// Response wraps the answer with the HTTP status and headers.
type Response struct {
	Headers    map[string]*string `json:"headers,omitempty" xml:"headers,omitempty"`
	StatusCode *int32             `json:"statusCode,omitempty" xml:"statusCode,omitempty"`
	Body       *ResponseBody      `json:"body,omitempty" xml:"body,omitempty"`
}

// Query returns the flattened query of req, as the generated client builds
// it before CallApi.
func Query(req *Request) map[string]*string {
	query := map[string]interface{}{}
	if req.CouponNo != nil {
		query["CouponNo"] = req.CouponNo
	}
	if req.Lang != nil {
		query["Lang"] = req.Lang
	}
	if req.OrderRedeemParam != nil {
		query["OrderRedeemParam"] = req.OrderRedeemParam
	}
	if req.PromotionNo != nil {
		query["PromotionNo"] = req.PromotionNo
	}
	if req.UseCoupon != nil {
		query["UseCoupon"] = req.UseCoupon
	}
	if req.UsePromotion != nil {
		query["UsePromotion"] = req.UsePromotion
	}
	if req.UserClientIp != nil {
		query["UserClientIp"] = req.UserClientIp
	}
	return openapiutil.Query(query)
}

// Params describes the operation to CallApi.
func Params() *openapiutil.Params {
	return &openapiutil.Params{
		Action:      dara.String("SaveBatchTaskForCreatingOrderRedeem"),
		Version:     dara.String("2018-01-29"),
		Protocol:    dara.String("HTTPS"),
		Pathname:    dara.String("/"),
		Method:      dara.String("POST"),
		AuthType:    dara.String("AK"),
		Style:       dara.String("RPC"),
		ReqBodyType: dara.String("formData"),
		BodyType:    dara.String("json"),
	}
}

// SaveBatchTaskForCreatingOrderRedeem validates req, calls the operation
// and converts the answer, as the generated client's WithOptions method.
func SaveBatchTaskForCreatingOrderRedeem(client *openapi.Client, req *Request, runtime *dara.RuntimeOptions) (*Response, error) {
	if err := dara.Validate(req); err != nil {
		return nil, err
	}
	body, err := client.CallApi(Params(), &openapiutil.OpenApiRequest{Query: Query(req)}, runtime)
	if err != nil {
		return nil, err
	}
	out := &Response{}
	err = dara.Convert(body, &out)
	return out, err
}
