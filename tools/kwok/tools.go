//go:build tools

// Package tools records the kwok command (sigs.k8s.io/kwok/cmd/kwok) built by
// hack/install-controlplane.sh for the fleet-scale benchmark, so that
// `go mod tidy` keeps its dependencies. It is kept apart from
// tools/controlplane so kwok builds with its own pinned dependencies.
package tools

import _ "sigs.k8s.io/kwok/cmd/kwok"
