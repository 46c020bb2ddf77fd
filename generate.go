package alidomain

// The typed layer of every action (api_op_*.go, api_tables.go) is written
// from the catalog (internal/catalog) by internal/catalog/gen.
//go:generate go run ./internal/catalog/gen -dir .
