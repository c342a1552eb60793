# shellcheck shell=bash
# Shared setup, sourced by run.sh and bench.sh: paths, the Debian Go toolchain in GOPATH mode
# (no module proxy here), Go code generated from our .proto, and building the Go programs.
# Exits 77 (CI's "skipped") when the toolchain is missing and cannot be installed.

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
BUILD=$HERE/build
PROTO_DIR=$REPO/hello-api/src/main/proto
GO_DEBS=(golang-go golang-google-grpc-dev golang-goprotobuf-dev protobuf-compiler)

# Our sources (src/hello), then the generated package (build/src/hello/chat), then Debian's.
export GO111MODULE=off GOFLAGS="" GOPROXY=off
export GOPATH="$HERE:$BUILD:/usr/share/gocode"
export GOCACHE="$BUILD/go-cache"

have_go_tools() {
  command -v go && command -v protoc && command -v protoc-gen-go &&
    [ -d /usr/share/gocode/src/google.golang.org/grpc ]
} >/dev/null 2>&1

ensure_go_tools() {
  have_go_tools && return 0
  echo "Installing ${GO_DEBS[*]} ..."
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${GO_DEBS[@]}" >/dev/null; } ||
     ! have_go_tools; then
    echo "SKIP: could not install the Go toolchain (${GO_DEBS[*]})" >&2
    exit 77
  fi
}

# Generates build/src/hello/chat/hello.pb.go from our .proto (go_package "hello/chat"),
# then builds each NAME=PACKAGE pair (an import path under src/) into build/bin/NAME.
build_go() {
  ensure_go_tools
  mkdir -p "$BUILD/src" "$BUILD/bin"
  protoc -I "$PROTO_DIR" --go_out=plugins=grpc:"$BUILD/src" hello/v1/hello.proto
  local pair
  for pair in "$@"; do
    go build -o "$BUILD/bin/${pair%%=*}" "${pair#*=}"
  done
}
