// Command stdlib makes one SaveBatchTaskForCreatingOrderRedeem call with the
// straightforward standard-library implementation; it is the baseline of the
// footprint table.
// Usage: stdlib ENDPOINT (credentials from the environment).
package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"time"

	"github.com/alidomain/alidomain/benchmarks/internal/stdlibsdk"
)

func main() {
	c := &stdlibsdk.Client{
		Endpoint:        os.Args[1],
		AccessKeyID:     os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_ID"),
		AccessKeySecret: os.Getenv("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
		HTTPClient:      &http.Client{Timeout: 30 * time.Second},
	}
	task, err := c.SaveBatchRedeem(context.Background(), []stdlibsdk.Domain{{Name: "example.com", ExpiresMillis: 1740817800000}})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(task)
}
