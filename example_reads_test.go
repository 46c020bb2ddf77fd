package alidomain_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/alidomain/alidomain/alidomaintest"
)

// newReadsExample starts a simulator with two domains to renew and their
// prices, and a client pointed at it.
func newReadsExample() (*alidomain.Client, *alidomaintest.Server) {
	sim := alidomaintest.NewServer()
	expires := time.Date(2027, 1, 15, 12, 0, 0, 0, time.UTC)
	sim.AddDomain("example.com", expires, alidomaintest.NeedsRenewal(), alidomaintest.InstanceID("S-EXAMPLE-COM"))
	sim.AddDomain("example.net", expires, alidomaintest.NeedsRenewal())
	sim.SetPrice("example.com", alidomaintest.PriceRenew, 12.99, "USD")
	sim.SetPrice("example.net", alidomaintest.PriceRenew, 10.5, "USD")
	sim.AddAvailable("fresh-example.com")
	sim.SetPrice("fresh-example.com", alidomaintest.PriceCreate, 9.99, "USD")
	client, err := alidomain.New(alidomain.Options{
		Endpoint:    sim.URL,
		Credentials: alidomain.StaticCredentials(sim.AccessKeyID, sim.AccessKeySecret),
	})
	if err != nil {
		log.Fatal(err)
	}
	return client, sim
}

// The price of renewing domains, one per item in the order asked; the
// total is added up in cents, since the prices are float64.
func ExampleDomainService_Price() {
	client, sim := newReadsExample()
	defer sim.Close()
	res, err := client.Domains.Price(context.Background(), &alidomain.PriceRequest{
		Currency: "USD",
		Items: []alidomain.PriceItem{
			{Action: alidomain.PriceRenew, DomainName: "example.com", Years: 2},
			{Action: alidomain.PriceRenew, DomainName: "example.net", Years: 1},
		},
	})
	var apiErr *alidomain.APIError
	if errors.As(err, &apiErr) {
		log.Fatalf("the service refused to quote: %s %s", apiErr.Code, apiErr.Message) // also inside HTTP 200
	}
	if err != nil {
		log.Fatal(err)
	}
	var cents int64
	for _, p := range res.Prices {
		fmt.Printf("%s, %d years: %.2f %s\n", p.DomainName, p.Years, p.Price, p.Currency)
		cents += int64(math.Round(p.Price * 100))
	}
	fmt.Printf("total: %d.%02d USD\n", cents/100, cents%100)
	// Output:
	// example.com, 2 years: 25.98 USD
	// example.net, 1 years: 10.50 USD
	// total: 36.48 USD
}

// Availability and the price table of a name.
func ExampleDomainService_Check() {
	client, sim := newReadsExample()
	defer sim.Close()
	res, err := client.Domains.Check(context.Background(), &alidomain.CheckDomainRequest{
		DomainName: "fresh-example.com", FeeCommand: alidomain.PriceCreate, FeeCurrency: "USD",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(res.DomainName, res.Avail, res.StaticPrices)
	// Output: fresh-example.com registrable [{create 9.99 1}]
}

// One domain's details, then auto-renewal turned on with its instance ID.
func ExampleDomainService_SetAutoRenew() {
	client, sim := newReadsExample()
	defer sim.Close()
	ctx := context.Background()
	d, err := client.Domains.Get(ctx, &alidomain.GetDomainRequest{DomainName: "example.com"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(d.DomainName, d.InstanceID, d.ExpirationDate.Format(time.DateOnly), d.DomainStatus)
	if _, err := client.Domains.SetAutoRenew(ctx, d.InstanceID, true); err != nil {
		log.Fatal(err)
	}
	for dom, err := range client.Domains.ListIter(ctx, &alidomain.ListDomainsRequest{DomainName: "example.com"}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(dom.DomainName, "auto-renew:", dom.AutoRenew)
	}
	// Output:
	// example.com S-EXAMPLE-COM 2027-01-15 needs renewal
	// example.com auto-renew: true
}
