package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/alidomain/alidomain"
	"github.com/spf13/cobra"
)

// listPageSize is the page size of QueryDomainList: the simulator's and the
// detail list's documented maximum, so a big account takes few pages.
const listPageSize = 1000

// parseDuration reads a duration such as 30d, 2w, 36h or 90m (d: days, w:
// weeks; otherwise Go's units).
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, fmt.Errorf("empty duration")
	}
	unit := time.Duration(0)
	switch {
	case strings.HasSuffix(s, "d"):
		unit = 24 * time.Hour
	case strings.HasSuffix(s, "w"):
		unit = 7 * 24 * time.Hour
	}
	if unit != 0 {
		n, err := strconv.ParseFloat(s[:len(s)-1], 64)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("%q is not a duration such as 30d, 2w or 36h", s)
		}
		return time.Duration(n * float64(unit)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return 0, fmt.Errorf("%q is not a duration such as 30d, 2w or 36h", s)
	}
	return d, nil
}

// durationFlag is a flag holding a duration in parseDuration's syntax.
type durationFlag struct {
	d   time.Duration
	set bool
}

// String returns the duration, empty when unset (pflag.Value).
func (f *durationFlag) String() string {
	if !f.set {
		return ""
	}
	return f.d.String()
}

// Set parses a flag value (pflag.Value).
func (f *durationFlag) Set(s string) error {
	d, err := parseDuration(s)
	if err != nil {
		return err
	}
	f.d, f.set = d, true
	return nil
}

// Type names the value in help (pflag.Value).
func (f *durationFlag) Type() string { return "DURATION" }

// listDomains lists every domain req selects, page after page, with a
// progress bar.
func (a *app) listDomains(ctx context.Context, req alidomain.ListDomainsRequest, label string) ([]alidomain.Domain, error) {
	c, err := a.getClient()
	if err != nil {
		return nil, err
	}
	req.PageSize = listPageSize
	p := a.newProgress()
	defer p.done()
	var out []alidomain.Domain
	last := 0
	for num := 1; ; num++ {
		req.PageNum = num
		page, err := c.Domains.List(ctx, &req)
		if err != nil {
			return nil, err
		}
		out = append(out, page.Items...)
		p.bar(label, len(out), page.TotalItems, "", false)
		cur := page.PageNum
		if cur == 0 {
			cur = num
		}
		if last != 0 && cur <= last {
			return nil, fmt.Errorf("listing domains: the service answered page %d again after page %d", cur, last)
		}
		if !page.HasNext || (page.TotalPages > 0 && cur >= page.TotalPages) || len(page.Items) == 0 {
			return out, nil
		}
		last, num = cur, cur
	}
}

// domainJSON is a domain in the JSON document.
type domainJSON struct {
	Domain       string    `json:"domain"`
	Unicode      string    `json:"unicode,omitempty"`
	Status       string    `json:"status"`
	StatusCode   int       `json:"status_code"`
	Expires      time.Time `json:"expires"`
	DaysLeft     int       `json:"days_left"`
	Type         string    `json:"type"`
	Premium      bool      `json:"premium"`
	AutoRenew    bool      `json:"auto_renew"`
	InstanceID   string    `json:"instance_id"`
	Remark       string    `json:"remark,omitempty"`
	Registration time.Time `json:"registered"`
}

// domainsCommand is "alidomain domains".
func (a *app) domainsCommand() *cobra.Command {
	var (
		expiring                      durationFlag
		needsRenewal, needsRedemption bool
		group, typ, name              string
	)
	cmd := &cobra.Command{
		Use:   "domains",
		Short: "List the account's domains (every page, filtered by the service)",
		Long: `List the account's domains, every page, with the service's filters: the
expiration window (--expiring), what they need (--needs-renewal,
--needs-redemption), their group (--group), type (--type) and name (--name).`,
		Example: `  alidomain --simulate domains
  alidomain --simulate domains --expiring 30d -o csv
  alidomain --simulate domains --needs-redemption --json
  alidomain --simulate domains --group 1001`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if needsRenewal && needsRedemption {
				return usageErr("--needs-renewal and --needs-redemption: give one")
			}
			req := alidomain.ListDomainsRequest{DomainGroupID: group, ProductDomainType: typ, DomainName: name}
			if needsRenewal {
				req.QueryType = alidomain.QueryNeedsRenewal
			}
			if needsRedemption {
				req.QueryType = alidomain.QueryNeedsRedemption
			}
			if expiring.set {
				req.EndExpirationDate = time.Now().Add(expiring.d)
			}
			ctx, cancel := a.ctx(cmd)
			defer cancel()
			list, err := a.listDomains(ctx, req, "listing domains")
			if err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			return a.printDomains(list)
		},
	}
	f := cmd.Flags()
	f.Var(&expiring, "expiring", "only domains expiring within `DURATION` (such as 30d; already expired ones included)")
	f.BoolVar(&needsRenewal, "needs-renewal", false, "only domains that need renewal")
	f.BoolVar(&needsRedemption, "needs-redemption", false, "only domains in their redemption period")
	f.StringVar(&group, "group", "", "only domains of the domain group `ID`")
	f.StringVar(&typ, "type", "", "only domains of this `TYPE` (gTLD, ccTLD, New gTLD)")
	f.StringVar(&name, "name", "", "only domains whose name contains `TEXT`")
	return cmd
}

// printDomains writes the domains list.
func (a *app) printDomains(list []alidomain.Domain) error {
	if a.output == "json" {
		items := make([]domainJSON, len(list))
		for i, d := range list {
			items[i] = domainJSON{Domain: d.DomainName, Status: d.DomainStatus.String(), StatusCode: int(d.DomainStatus),
				Expires: d.ExpirationDate, DaysLeft: d.ExpirationCurrDateDiff, Type: d.DomainType, Premium: d.Premium,
				AutoRenew: d.AutoRenew, InstanceID: d.InstanceID, Remark: d.Remark, Registration: d.RegistrationDate}
			if u := display(d.DomainName); u != d.DomainName {
				items[i].Unicode = u
			}
		}
		a.writeJSON(map[string]any{"command": a.cmdName, "domains": items, "count": len(items), "api_calls": a.apiCalls(), "exit_code": exitOK})
		return nil
	}
	t := &table{header: []string{"DOMAIN", "STATUS", "EXPIRES", "DAYS", "TYPE", "AUTO-RENEW", "PREMIUM"}, right: map[int]bool{3: true}}
	for _, d := range list {
		st := cell{text: d.DomainStatus.String()}
		switch d.DomainStatus {
		case alidomain.DomainNeedsRenewal:
			st.colour = yellow
		case alidomain.DomainNeedsRedemption:
			st.colour = red
		}
		name := d.DomainName
		if a.output == "table" {
			name = display(name)
		}
		t.addCells(cell{text: name}, st, cell{text: dateOf(d.ExpirationDate)}, cell{text: strconv.Itoa(d.ExpirationCurrDateDiff)},
			cell{text: d.DomainType}, cell{text: yesNo(d.AutoRenew)}, cell{text: yesNo(d.Premium)})
	}
	if err := t.write(a.stdout, a.output, a.colour()); err != nil {
		return err
	}
	if a.output == "table" {
		fmt.Fprintln(a.stdout, nDomains(len(list)))
	}
	return nil
}

// yesNo renders a bool for a table.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// readLines reads the non-blank, non-comment lines of path ("-": stdin).
func (a *app) readLines(path string) ([]string, error) {
	var r io.Reader
	if path == "-" {
		r = a.stdin
	} else {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		r = f
	}
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, line)
	}
	return out, sc.Err()
}
