package alidomain

import (
	"context"
	"strings"
	"time"
)

// Task types of the paid orders (wire.md §8.1). Transfer-in has none
// documented: see isTransferType.
const (
	renewTaskType    = "ORDER_RENEW"
	registerTaskType = "ORDER_ACTIVATE"
)

// documentedTaskTypes is the documented TaskType enum of the task queries
// (wire.md §8.1). None of them is a transfer-in.
var documentedTaskTypes = map[string]bool{
	"CHG_HOLDER": true, "CHG_DNS": true, "SET_WHOIS_PROTECT": true,
	"UPDATE_ADMIN_CONTACT": true, "UPDATE_BILLING_CONTACT": true, "UPDATE_TECH_CONTACT": true,
	"SET_UPDATE_PROHIBITED": true, "SET_TRANSFER_PROHIBITED": true,
	"ORDER_ACTIVATE": true, "ORDER_RENEW": true, "ORDER_REDEEM": true,
	"CREATE_DNSHOST": true, "UPDATE_DNSHOST": true, "SYNC_DNSHOST": true,
	"UPDATE_REGISTRANT_CONTACT": true, "DELETE_DOMAIN": true,
}

// reconcileKind finds, for each of domains, the newest detail of an order
// task created since `since` whose TaskType match accepts: the Reconcile of
// every order service, with the logic of RedeemService.Reconcile
// (reconcileTasks in reconcile.go).
func reconcileKind(ctx context.Context, s *service, since time.Time, domains []string, match func(taskType string) bool, optFns []func(*Options)) (map[string]*TaskDetail, error) {
	return reconcileTasks(ctx, s, since, domains, match, optFns)
}

// isRenewType reports whether a task type is a renewal, or unknown.
func isRenewType(t string) bool { return t == "" || strings.EqualFold(t, renewTaskType) }

// isRegisterType reports whether a task type is a registration, or unknown.
func isRegisterType(t string) bool { return t == "" || strings.EqualFold(t, registerTaskType) }

// isTransferType reports whether a task may be a transfer-in: any type but
// the documented ones, which are all other kinds. The transfer-in type is
// documented nowhere, and a guess that is wrong would make Reconcile report
// "no order" for an order that was placed.
func isTransferType(t string) bool {
	return !documentedTaskTypes[strings.ToUpper(strings.TrimSpace(t))]
}
