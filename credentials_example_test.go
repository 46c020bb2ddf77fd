package alidomain_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// A program that assumes a RAM role, tested without a cloud: a fake STS
// issues the role's temporary credentials, and the simulator accepts them.
func ExampleAssumeRoleCredentials() {
	sim := alidomaintest.NewServer()
	defer sim.Close()
	sts := alidomaintest.NewSTSServer(alidomaintest.STSOptions{IssueTo: []alidomaintest.CredentialSink{sim}})
	defer sts.Close()
	const role = "acs:ram::123456789012:role/domain-admin"
	sts.AddRole(role, "partner-7") // its trust policy requires this ExternalId

	creds := alidomain.AssumeRoleCredentials(alidomain.AssumeRoleOptions{
		Source:     alidomain.StaticCredentials(sts.AccessKeyID, sts.AccessKeySecret), // a RAM user's key
		RoleARN:    role,
		ExternalID: "partner-7",
		Endpoint:   sts.URL, // default https://sts.aliyuncs.com/
	})
	client, err := alidomain.New(alidomain.Options{Endpoint: sim.URL, Credentials: creds})
	if err != nil {
		log.Fatal(err)
	}

	expires := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	ctx := context.Background()
	for _, name := range []string{"example.com", "example.net"} { // the second call reuses the cached role credentials
		sim.AddDomain(name, expires, alidomaintest.NeedsRedemption())
		_, err = client.Redeem.SubmitBatch(ctx, &alidomain.BatchRedeemRequest{
			Domains: []alidomain.RedeemDomain{{DomainName: name, CurrentExpirationDate: expires}},
		})
		if err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("orders:", sim.Orders("example.com")+sim.Orders("example.net"))
	fmt.Println("AssumeRole calls:", sts.Requests(alidomaintest.ActionAssumeRole))
	// Output:
	// orders: 2
	// AssumeRole calls: 1
}

// The ECS RAM role of an instance, tested with a fake metadata service in
// hardened mode (IMDSv2 only).
func ExampleECSRoleCredentials() {
	sim := alidomaintest.NewServer()
	defer sim.Close()
	md := alidomaintest.NewMetadataServer(alidomaintest.MetadataOptions{
		RoleName:       "domain-renewer",
		IMDSv1Disabled: true,
		IssueTo:        []alidomaintest.CredentialSink{sim},
	})
	defer md.Close()

	creds := alidomain.ECSRoleCredentials(alidomain.ECSRoleOptions{Endpoint: md.URL, DisableIMDSv1: true})
	client, err := alidomain.New(alidomain.Options{Endpoint: sim.URL, Credentials: creds})
	if err != nil {
		log.Fatal(err)
	}
	page, err := client.Domains.List(context.Background(), &alidomain.ListDomainsRequest{})
	if err != nil {
		log.Fatal(err)
	}
	st := md.Stats()
	fmt.Println(len(page.Items), st.TokenRequests, st.IMDSv1Requests)
	// Output: 0 1 0
}
