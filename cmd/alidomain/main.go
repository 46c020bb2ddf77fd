// Command alidomain manages a portfolio of domains on the Alibaba Cloud
// Domain API (2018-01-29) from a terminal or from cron: list what expires,
// price it, renew or redeem it in as few orders as the API allows, follow
// the tasks, transfer in and register, and find out what became of an order
// whose answer was lost. Every paid order goes through the SDK's rules: it
// is shown first, placed only with --yes (and never above --max-total), and
// never re-sent blindly.
//
// With --simulate it runs on the SDK's simulator (package alidomaintest)
// inside the binary, with a demo account: no account, no network.
//
// Run "alidomain --help" for the commands and the exit codes.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], &app{
		stdin:  os.Stdin,
		stdout: os.Stdout,
		stderr: os.Stderr,
		getenv: os.Getenv,
	})
	stop()
	os.Exit(code)
}
