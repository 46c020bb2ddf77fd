// Command official-v2 makes one SaveBatchTaskForCreatingOrderRedeem call
// through the official v2 runtime (darabonba-openapi CallApi, as the
// generated domain-20180129 client does); it exists to measure the
// footprint of a program that uses it. The generated module itself would add
// its models for every Domain API action.
// Usage: official-v2 HOST (credentials from the environment).
package main

import (
	"fmt"
	"os"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"

	"github.com/alidomain/alidomain/benchmarks/internal/v2domain"
)

func main() {
	c, err := openapi.NewClient(&openapiutil.Config{
		AccessKeyId:     dara.String(os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_ID")),
		AccessKeySecret: dara.String(os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET")),
		Endpoint:        dara.String(os.Args[1]),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	res, err := v2domain.SaveBatchTaskForCreatingOrderRedeem(c, &v2domain.Request{
		UseCoupon:    dara.Bool(false),
		UsePromotion: dara.Bool(false),
		OrderRedeemParam: []*v2domain.OrderRedeemParam{
			{DomainName: dara.String("example.com"), CurrentExpirationDate: dara.Int64(1740817800000)},
		},
	}, &dara.RuntimeOptions{})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(dara.StringValue(res.Body.TaskNo))
}
