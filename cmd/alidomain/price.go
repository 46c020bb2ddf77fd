package main

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"
)

// priceReport is the JSON document of "alidomain price".
type priceReport struct {
	Command  string         `json:"command"`
	Action   string         `json:"action"`
	Currency string         `json:"currency"`
	Domains  []*item        `json:"domains"`
	Total    float64        `json:"total"`
	Priced   int            `json:"priced"`
	Unpriced int            `json:"unpriced"`
	APICalls map[string]int `json:"api_calls,omitempty"`
	ExitCode int            `json:"exit_code"`
}

// priceCommand is "alidomain price".
func (a *app) priceCommand() *cobra.Command {
	var (
		sel   selection
		file  string
		years int
	)
	cmd := &cobra.Command{
		Use:   "price renew|redeem|register|transfer (DOMAIN... | --file F | --expiring DURATION)",
		Short: "Price domains for an order, and the total (a domain without a price is never counted as 0)",
		Long: fmt.Sprintf(`Price each domain for an order (QueryDomainRealTimePrice, %d domains per call)
and add the prices up. A domain the service gives no price for is shown as such,
with its reason, and is not counted in the total. --expiring (renew, redeem only)
prices the domains that "alidomain renew|redeem --expiring" would order.
A transfer --file may hold codes after the names; they are ignored.`, maxQuote),
		Example: `  alidomain --simulate price renew --expiring 60d
  alidomain --simulate price register acme-new.com 新域名.cn --years 2
  alidomain --simulate price redeem --expiring 0d -o csv`,
		Args:      cobra.MinimumNArgs(1),
		ValidArgs: []string{"renew", "redeem", "register", "transfer"},
		RunE: func(cmd *cobra.Command, args []string) error {
			k := kindByName(args[0])
			if k == nil {
				return usageErr("price %q: want renew, redeem, register or transfer", args[0])
			}
			sel.names = args[1:]
			if file != "" {
				lines, err := a.readLines(file)
				if err != nil {
					return usageErr("--file: %v", err)
				}
				for _, l := range lines {
					// Only the name: a transfer file's code is never read further.
					name, _, _ := strings.Cut(strings.ReplaceAll(strings.ReplaceAll(l, "\t", " "), ",", " "), " ")
					sel.names = append(sel.names, name)
				}
			}
			if sel.count() != 1 {
				return usageErr("give the domains one way: DOMAIN..., --file or --expiring")
			}
			if sel.expiring.set && !k.held {
				return usageErr("--expiring prices renewals or redemptions of the account's domains, not %s", k.name)
			}
			if years < 1 || years > 10 {
				return usageErr("--years %d: want 1 to 10", years)
			}
			ctx, cancel := a.ctx(cmd)
			defer cancel()
			var items []*item
			var err error
			if sel.expiring.set {
				items, err = a.selectHeld(ctx, k, &sel, years, true)
			} else {
				items, err = dedupe(sel.names)
			}
			if err != nil {
				return errBeforeSending(err)
			}
			if k.hasYears {
				for _, it := range items {
					it.Years = years
				}
			}
			if err := a.quote(ctx, k.priceAction, items); err != nil {
				return &exitError{code: exitUsage, err: err}
			}
			return a.printPrices(k, items)
		},
	}
	f := cmd.Flags()
	f.Var(&sel.expiring, "expiring", "the account's domains expiring within `DURATION` (renew, redeem)")
	f.StringVar(&file, "file", "", "read the domains from `F` (one per line; - for stdin)")
	f.IntVar(&years, "years", 1, "years to price (renew, register), 1 to 10")
	return cmd
}

// printPrices writes the price list; exit 1 when a domain has no price.
func (a *app) printPrices(k *kind, items []*item) error {
	var shown []*item
	for _, it := range items {
		if it.Status == stPlanned {
			it.Status = "priced"
			if !it.priced() {
				it.Status = "no-price"
			}
		}
		shown = append(shown, it)
	}
	cents, priced, unpriced := totals(shown, "priced", "no-price")
	code := exitOK
	for _, it := range shown {
		if it.Status != "priced" {
			code = exitFailed
		}
	}
	if a.output == "json" {
		a.writeJSON(&priceReport{Command: "price", Action: k.name, Currency: a.currency, Domains: shown,
			Total: float64(cents) / 100, Priced: priced, Unpriced: unpriced, APICalls: a.apiCalls(), ExitCode: code})
	} else {
		t := &table{header: []string{"DOMAIN", "YEARS", "PRICE", "NOTE"}, right: map[int]bool{1: true, 2: true}}
		for _, it := range shown {
			name := it.Domain
			if a.output == "table" {
				name = display(name)
			}
			price := cell{text: "no price", colour: yellow}
			if it.priced() {
				price = cell{text: money(it.cents, a.currency)}
			}
			note := it.PriceNote
			if it.Message != "" {
				note = it.Message
			}
			years := "-"
			if it.Years > 0 {
				years = fmt.Sprint(it.Years)
			}
			t.addCells(cell{text: name}, cell{text: years}, price, cell{text: note})
		}
		t.write(a.stdout, a.output, a.colour())
		if a.output == "table" {
			fmt.Fprintf(a.stdout, "Total to %s %s: %s\n", k.name, nDomains(priced), money(cents, a.currency))
			if unpriced > 0 {
				fmt.Fprintf(a.stdout, "%s without a price (not counted)\n", nDomains(unpriced))
			}
		}
	}
	return fail(code, "")
}
