// Command alidomain makes one SaveBatchTaskForCreatingOrderRedeem call with
// this SDK; it exists to measure the footprint of a program that uses it.
// Usage: alidomain ENDPOINT (credentials from the environment).
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/alidomain/alidomain"
)

func main() {
	c, err := alidomain.New(alidomain.Options{Endpoint: os.Args[1], Credentials: alidomain.EnvCredentials()})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	res, err := c.Redeem.SubmitBatch(context.Background(), &alidomain.BatchRedeemRequest{
		Domains: []alidomain.RedeemDomain{{DomainName: "example.com", CurrentExpirationDate: time.UnixMilli(1740817800000)}},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(res.TaskNo)
}
