// Command ratios reads `go test -bench` output and prints, as Markdown, the
// medians of each benchmark and how many times this SDK (impl=alidomain) is
// faster or allocates less than each other implementation, and, for the main
// module's BenchmarkSignAttempt, the per-attempt signing time over the bare
// HMAC. benchstat gives the full tables; this answers the targets at a glance.
//
// Usage: go run ./internal/ratios bench.txt [internal.txt]
package main

import (
	"bufio"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"
)

// sample is one benchmark's measurements, by unit, over its runs.
type sample map[string][]float64

func main() {
	results := map[string]sample{} // full name without the -GOMAXPROCS suffix
	for _, path := range os.Args[1:] {
		if err := read(path, results); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	printComparison(results)
	printTargets(results)
	printSigning(results)
}

func read(path string, results map[string]sample) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := fields[0]
		if i := strings.LastIndexByte(name, '-'); i > 0 {
			if _, err := strconv.Atoi(name[i+1:]); err == nil {
				name = name[:i]
			}
		}
		s := results[name]
		if s == nil {
			s = sample{}
			results[name] = s
		}
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err == nil {
				s[fields[i+1]] = append(s[fields[i+1]], v)
			}
		}
	}
	return sc.Err()
}

func median(vs []float64) float64 {
	if len(vs) == 0 {
		return 0
	}
	s := append([]float64(nil), vs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// parts splits "BenchmarkGroup/impl=x/N=10" into group, x and 10.
func parts(name string) (group, impl string, n int, ok bool) {
	f := strings.Split(strings.TrimPrefix(name, "Benchmark"), "/")
	if len(f) != 3 || !strings.HasPrefix(f[1], "impl=") || !strings.HasPrefix(f[2], "N=") {
		return "", "", 0, false
	}
	n, err := strconv.Atoi(strings.TrimPrefix(f[2], "N="))
	return f[0], strings.TrimPrefix(f[1], "impl="), n, err == nil
}

func duration(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.2f ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.1f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}

func printComparison(results map[string]sample) {
	type key struct {
		group, impl string
		n           int
	}
	med := map[key]sample{}
	var groups, impls []string
	var sizes []int
	seen := map[string]bool{}
	for name, s := range results {
		g, impl, n, ok := parts(name)
		if !ok || g == "Sign" {
			continue
		}
		med[key{g, impl, n}] = s
		for _, v := range []string{"g" + g, "i" + impl, "n" + strconv.Itoa(n)} {
			if !seen[v] {
				seen[v] = true
				switch v[0] {
				case 'g':
					groups = append(groups, g)
				case 'i':
					if impl != "alidomain" {
						impls = append(impls, impl)
					}
				case 'n':
					sizes = append(sizes, n)
				}
			}
		}
	}
	sort.Strings(groups)
	sort.Strings(impls)
	sort.Ints(sizes)
	for _, g := range groups {
		fmt.Printf("\n#### %s: this SDK's median, and each other implementation's time (and allocations) as a multiple of this SDK's\n\n", g)
		fmt.Printf("| N | alidomain time | allocs |")
		for _, impl := range impls {
			fmt.Printf(" %s |", impl)
		}
		fmt.Printf("\n|---|---|---|")
		for range impls {
			fmt.Printf("---|")
		}
		fmt.Println()
		for _, n := range sizes {
			ours := med[key{g, "alidomain", n}]
			if ours == nil {
				continue
			}
			t, a := median(ours["ns/op"]), median(ours["allocs/op"])
			fmt.Printf("| %d | %s | %.0f |", n, duration(t), a)
			for _, impl := range impls {
				other := med[key{g, impl, n}]
				if other == nil || t == 0 || a == 0 {
					fmt.Printf(" |")
					continue
				}
				fmt.Printf(" %.1fx (%.1fx allocs) |", median(other["ns/op"])/t, median(other["allocs/op"])/a)
			}
			fmt.Println()
		}
	}
}

func printSigning(results map[string]sample) {
	var sizes []int
	for name := range results {
		if rest, ok := strings.CutPrefix(name, "BenchmarkSignAttempt/step=hmac/N="); ok {
			if n, err := strconv.Atoi(rest); err == nil {
				sizes = append(sizes, n)
			}
		}
	}
	if len(sizes) == 0 {
		return
	}
	sort.Ints(sizes)
	fmt.Printf("\n#### Signing per attempt (main module, BenchmarkSignAttempt): time over the bare HMAC-SHA1\n\n")
	fmt.Println("| N | query (whole attempt) | bare HMAC | query / HMAC |")
	fmt.Println("|---|---|---|---|")
	for _, n := range sizes {
		get := func(step string) float64 {
			return median(results[fmt.Sprintf("BenchmarkSignAttempt/step=%s/N=%d", step, n)]["ns/op"])
		}
		q, h := get("query"), get("hmac")
		if h == 0 {
			continue
		}
		fmt.Printf("| %d | %s | %s | %.2fx |\n", n, duration(q), duration(h), q/h)
	}
}

// printTargets checks issue 11's targets on the in-process medians: the
// floor, official v1 and official v2 (HMAC-SHA1) against this SDK, in time,
// and v1's allocations; and issue 13's V3 targets.
func printTargets(results map[string]sample) {
	get := func(impl string, n int, unit string) float64 {
		return median(results[fmt.Sprintf("BenchmarkInProcess/impl=%s/N=%d", impl, n)][unit])
	}
	type target struct {
		what, impl, unit string
		min              func(n int) float64
		// base is the denominator, "alidomain" when empty; max, when set,
		// is an upper bound on the ratio instead of min's lower bound.
		base string
		max  float64
	}
	targets := []target{
		{"floor / alidomain, time", "floor", "ns/op", func(int) float64 { return 1 }, "", 0},
		{"official v1 / alidomain, time", "official-v1", "ns/op", func(n int) float64 {
			switch n {
			case 1:
				return 8
			case 1000:
				return 5
			}
			return 0
		}, "", 0},
		{"official v2 (HMAC-SHA1) / alidomain, time", "official-v2-hmac-sha1", "ns/op", func(int) float64 { return 10 }, "", 0},
		{"official v1 / alidomain, allocations", "official-v1", "allocs/op", func(int) float64 { return 3 }, "", 0},
		// Process CPU time per call: less inflated by other processes on a
		// shared machine than wall time.
		{"floor / alidomain, CPU time", "floor", "cpu-ns/op", func(int) float64 { return 1 }, "", 0},
		{"official v1 / alidomain, CPU time", "official-v1", "cpu-ns/op", func(n int) float64 {
			switch n {
			case 1:
				return 8
			case 1000:
				return 5
			}
			return 0
		}, "", 0},
		{"official v2 (HMAC-SHA1) / alidomain, CPU time", "official-v2-hmac-sha1", "cpu-ns/op", func(int) float64 { return 10 }, "", 0},
		// Issue 13: V3 signing costs this SDK at most half again its V2 time,
		// and keeps its lead over the official v2 runtime's default V3.
		{"alidomain V3 / alidomain V2, time", "alidomain-v3", "ns/op", nil, "alidomain", 1.5},
		{"alidomain V3 / alidomain V2, CPU time", "alidomain-v3", "cpu-ns/op", nil, "alidomain", 1.5},
		{"official v2 (V3) / alidomain V3, time", "official-v2-acs3", "ns/op", func(n int) float64 { return map[int]float64{1000: 50}[n] }, "alidomain-v3", 0},
		{"official v2 (V3) / alidomain V3, CPU time", "official-v2-acs3", "cpu-ns/op", func(n int) float64 { return map[int]float64{1000: 50}[n] }, "alidomain-v3", 0},
	}
	sizes := []int{1, 10, 100, 1000}
	fmt.Printf("\n#### Targets (in process, medians)\n\n| ratio | N=1 | N=10 | N=100 | N=1000 |\n|---|---|---|---|---|\n")
	for _, t := range targets {
		fmt.Printf("| %s |", t.what)
		base := t.base
		if base == "" {
			base = "alidomain"
		}
		for _, n := range sizes {
			ours, other := get(base, n, t.unit), get(t.impl, n, t.unit)
			if ours == 0 || other == 0 {
				fmt.Printf(" |")
				continue
			}
			r, want := other/ours, 0.0
			if t.min != nil {
				want = t.min(n)
			}
			verdict := ""
			switch {
			case t.max > 0 && r <= t.max:
				verdict = fmt.Sprintf(" (<= %g: met)", t.max)
			case t.max > 0:
				verdict = fmt.Sprintf(" (<= %g: **missed**)", t.max)
			case want == 0:
			case r >= want:
				verdict = fmt.Sprintf(" (>= %g: met)", want)
			default:
				verdict = fmt.Sprintf(" (>= %g: **missed**)", want)
			}
			fmt.Printf(" %.2f%s |", r, verdict)
		}
		fmt.Println()
	}
}
