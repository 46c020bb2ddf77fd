// Command official-v1 makes one SaveBatchTaskForCreatingOrderRedeem call
// with the official v1 SDK (github.com/aliyun/alibaba-cloud-sdk-go); it
// exists to measure the footprint of a program that uses it.
// Usage: official-v1 HOST (credentials from the environment).
package main

import (
	"fmt"
	"os"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/aliyun/alibaba-cloud-sdk-go/services/domain"
)

func main() {
	c, err := domain.NewClientWithAccessKey("cn-hangzhou", os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"), os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	req := domain.CreateSaveBatchTaskForCreatingOrderRedeemRequest()
	req.Domain = os.Args[1]
	req.UseCoupon = requests.NewBoolean(false)
	req.UsePromotion = requests.NewBoolean(false)
	req.OrderRedeemParam = &[]domain.SaveBatchTaskForCreatingOrderRedeemOrderRedeemParam{
		{DomainName: "example.com", CurrentExpirationDate: "1740817800000"},
	}
	res, err := c.SaveBatchTaskForCreatingOrderRedeem(req)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(res.TaskNo)
}
