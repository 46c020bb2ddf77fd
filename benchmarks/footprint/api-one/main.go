// Command api-one makes one call of a generated method (API.SaveSingleTaskForCreatingDnsHost);
// it exists to measure the footprint of a program that uses one action of
// the typed layer: the linker must drop the other 131.
// Usage: api-one ENDPOINT (credentials from the environment).
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/alidomain/alidomain"
)

func main() {
	c, err := alidomain.New(alidomain.Options{Endpoint: os.Args[1], Credentials: alidomain.EnvCredentials()})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	res, err := c.API.SaveSingleTaskForCreatingDnsHost(context.Background(), &alidomain.SaveSingleTaskForCreatingDnsHostRequest{
		InstanceID: "S1", DNSName: "ns1.example.com", IPs: []string{"192.0.2.1"},
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(res.TaskNo)
}
