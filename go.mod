module github.com/alidomain/alidomain

go 1.23

require (
	github.com/google/go-querystring v1.0.0
	golang.org/x/net v0.35.0
)

require golang.org/x/text v0.22.0 // indirect

require (
	github.com/stretchr/testify v1.12.1
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)
