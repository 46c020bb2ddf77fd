package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/alidomain/alidomain/internal/catalog"
	"github.com/spf13/cobra"
)

// theCatalog is every action of the API, loaded once (it is embedded).
var theCatalog = sync.OnceValue(catalog.MustLoad)

// kindLabel is how the tool names a catalog kind: both paging styles are
// "list".
func kindLabel(k catalog.Kind) string {
	switch k {
	case catalog.PaidOrder:
		return "paid order"
	case catalog.TaskWrite:
		return "task write"
	case catalog.PageList, catalog.CursorList:
		return "list"
	}
	return string(k)
}

// kindKey is kindLabel for JSON and --kind: paid_order, task_write, write,
// read, list.
func kindKey(k catalog.Kind) string { return strings.ReplaceAll(kindLabel(k), " ", "_") }

// kindFilters are the values --kind accepts, each with the kinds it selects.
var kindFilters = map[string][]catalog.Kind{
	"paid":        {catalog.PaidOrder},
	"paid_order":  {catalog.PaidOrder},
	"task":        {catalog.TaskWrite},
	"task_write":  {catalog.TaskWrite},
	"write":       {catalog.Write},
	"read":        {catalog.Read},
	"list":        {catalog.PageList, catalog.CursorList},
	"page_list":   {catalog.PageList},
	"cursor_list": {catalog.CursorList},
}

// actionJSON is an action in the JSON document of "actions".
type actionJSON struct {
	Action     string `json:"action"`
	Kind       string `json:"kind"`
	Paging     string `json:"paging,omitempty"`
	RepeatSafe bool   `json:"repeat_safe"`
	Summary    string `json:"summary"`
}

// actionsCommand is "alidomain actions".
func (a *app) actionsCommand() *cobra.Command {
	var kinds []string
	cmd := &cobra.Command{
		Use:   "actions [--kind KIND]",
		Short: "List every action of the API with its kind and summary (call any of them with 'call')",
		Long: `List every action of the Domain API (2018-01-29) from the catalog built into the
tool: its kind (paid order, task write, write, read, list) and what it is for.
"alidomain call ACTION --help" shows an action's parameters.

--kind selects kinds: paid, task, write, read, list (several: repeat the flag
or separate them with commas).`,
		Example: `  alidomain actions
  alidomain actions --kind paid
  alidomain actions --kind task,write -o csv`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			want := map[catalog.Kind]bool{}
			for _, k := range kinds {
				ks, ok := kindFilters[strings.ReplaceAll(strings.ToLower(strings.TrimSpace(k)), " ", "_")]
				if !ok {
					return usageErr("--kind %q: want paid, task, write, read or list", k)
				}
				for _, k := range ks {
					want[k] = true
				}
			}
			var list []actionJSON
			for _, act := range theCatalog().Actions {
				if len(want) > 0 && !want[act.Kind] {
					continue
				}
				j := actionJSON{Action: act.Name, Kind: kindKey(act.Kind), RepeatSafe: act.RepeatSafe, Summary: act.Summary}
				switch act.Kind {
				case catalog.PageList:
					j.Paging = "page"
				case catalog.CursorList:
					j.Paging = "cursor"
				}
				list = append(list, j)
			}
			if a.output == "json" {
				a.writeJSON(map[string]any{"command": a.cmdName, "actions": nonNil(list), "count": len(list), "exit_code": exitOK})
				return nil
			}
			// On a terminal the summaries wrap to its width (action names
			// are never cut: they are what "call" takes).
			t := &table{header: []string{"ACTION", "KIND", "SUMMARY"}, fit: a.termWidth()}
			for _, x := range list {
				c := cell{text: strings.ReplaceAll(x.Kind, "_", " ")}
				if x.Kind == "paid_order" {
					c.colour = yellow
				}
				t.addCells(cell{text: x.Action}, c, cell{text: x.Summary})
			}
			if err := t.write(a.stdout, a.output, a.colour()); err != nil {
				return err
			}
			if a.output == "table" {
				fmt.Fprintf(a.stdout, "%d actions\n", len(list))
			}
			return nil
		},
	}
	cmd.Flags().StringSliceVar(&kinds, "kind", nil, "only actions of `KIND`: paid, task, write, read or list")
	_ = cmd.RegisterFlagCompletionFunc("kind", func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
		return []string{"paid\tpaid orders", "task\ttask writes", "write\twrites", "read\treads", "list\tlists (paged)"}, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

// actionNames returns the catalog's action names starting with prefix.
func actionNames(prefix string) []string {
	var out []string
	for _, act := range theCatalog().Actions {
		if strings.HasPrefix(strings.ToLower(act.Name), strings.ToLower(prefix)) {
			out = append(out, act.Name+"\t"+kindLabel(act.Kind)+": "+act.Summary)
		}
	}
	sort.Strings(out)
	return out
}
