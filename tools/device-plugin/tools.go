//go:build tools

// Package tools records the generic device plugin's main package, built
// (CGO off, static) into the generic-device-plugin image by
// hack/build-images.sh, so that `go mod tidy` keeps its dependencies. Its own
// module, like tools/helm, so the plugin builds with the dependency versions
// it was released with and nothing else here moves them.
package tools

import _ "github.com/squat/generic-device-plugin"
