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
	srv.AddDomain("example.com", expires) // needs redemption
	srv.AddDomain("example.net", expires, alidomaintest.NeedsRenewal())

	// The next redeem is performed, but its answer is lost.
	srv.Inject(alidomaintest.ActionSaveBatchTaskForCreatingOrderRedeem, alidomaintest.CommitThenDrop())

	// ... run the client against srv.URL with srv.AccessKeyID and
	// srv.AccessKeySecret ...

	info, _ := srv.Domain("example.com")
	fmt.Println(info.Status == alidomaintest.StatusNeedsRedemption, srv.Orders("example.com"))
	// Output: true 0
}
