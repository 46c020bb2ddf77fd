module github.com/alidomain/alidomain

go 1.23

require (
	github.com/google/go-querystring v1.0.0
	github.com/mattn/go-runewidth v0.0.16
	github.com/spf13/cobra v1.10.2
	golang.org/x/net v0.35.0
	golang.org/x/term v0.29.0
)

require (
	github.com/inconshreveable/mousetrap v1.1.0 // indirect
	github.com/rivo/uniseg v0.2.0 // indirect
	github.com/spf13/pflag v1.0.9 // indirect
	golang.org/x/sys v0.30.0 // indirect
	golang.org/x/text v0.22.0 // indirect
)

require (
	github.com/stretchr/testify v1.12.1
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
