package alidomaintest_test

import (
	"fmt"
	"time"

	"github.com/alidomain/alidomain/alidomaintest"
)

// A test starts a Server, gives the account some domains, scripts faults, and
// after running the code under test checks what really happened.
func ExampleServer() {
	srv := alidomaintest.NewServer()
	defer srv.Close()

	expires := time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)
	srv.AddDomain("example.com", expires) // expired long ago: needs redemption
	srv.AddDomain("example.net", expires, alidomaintest.NeedsRenewal())

	// The next redeem is performed, but its answer is lost.
	srv.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem, alidomaintest.CommitThenDrop())

	// ... run the client against srv.URL with srv.AccessKeyID and
	// srv.AccessKeySecret ...

	info, _ := srv.Domain("example.com")
	fmt.Println(info.Status == alidomaintest.StatusNeedsRedemption, srv.Orders("example.com"))
	// Output: true 0
}

// AddDomain derives a domain's status from its expiration date on the
// Server's clock; an option forces another.
func ExampleServer_AddDomain() {
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	srv := alidomaintest.NewServer(alidomaintest.WithClock(func() time.Time { return now }))
	defer srv.Close()

	srv.AddDomain("gone.com", now.AddDate(0, 0, -40))  // past the grace period
	srv.AddDomain("lapsed.com", now.AddDate(0, 0, -3)) // in the grace period
	srv.AddDomain("soon.com", now.AddDate(0, 0, 12))   // within 30 days
	srv.AddDomain("fine.com", now.AddDate(1, 0, 0))    // later
	srv.AddDomain("forced.com", now.AddDate(0, 0, 12), alidomaintest.Normal())
	for _, name := range []string{"gone.com", "lapsed.com", "soon.com", "fine.com", "forced.com"} {
		info, _ := srv.Domain(name)
		fmt.Println(name, info.Status)
	}
	// Output:
	// gone.com 2
	// lapsed.com 1
	// soon.com 1
	// fine.com 3
	// forced.com 3
}
