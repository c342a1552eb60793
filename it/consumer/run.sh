#!/usr/bin/env bash
# A host application's build against the installed library (README "Embedding" and "Testing your
# application"), and a check that it resolves every dependency at the version the library's own
# build resolves. Extra arguments go to every mvn call (for instance -o).
#
# It installs into a local repository of its own, never into ~/.m2, which other builds on the
# machine share (a stale snapshot there would be picked up by any build that does not build the
# library itself): $IT_CONSUMER_REPO, by default target/it-consumer-m2 at the root, seeded once with
# a copy of ~/.m2/repository so that nothing is downloaded twice. Both builds use it.
#
#   1. installs the library artifacts (tests and javadoc skipped: `mvn verify` ran them) and
#      lists what each library module resolves for its own main code (compile and runtime);
#   2. builds it/consumer, which depends on them only through hello-bom, compiles the README's
#      embedding example and Greeter, and runs GreeterTest (hello-testing) against them;
#   3. fails if the consumer resolves any artifact the library also resolves at another version,
#      if the library modules disagree among themselves, or if the consumer misses one; if it gets
#      one the library declares optional (OpenTelemetry: only openTelemetry(...) needs it, and an
#      application that calls it adds it itself); and if a library jar does not name its module
#      io.hellogrpc.api, .server, .client or .testing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
libraries=hello-api,hello-server,hello-client,hello-testing
version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/hello-bom/pom.xml" | head -n 1)"
out="$here/target"
rm -rf "$out"
mkdir -p "$out"

repo="${IT_CONSUMER_REPO:-$root/target/it-consumer-m2}"
if [ ! -d "$repo" ]; then
  echo "it/consumer: seeding the local repository $repo from ~/.m2/repository"
  mkdir -p "$repo.tmp"
  if [ -d "$HOME/.m2/repository" ]; then
    cp -r "$HOME/.m2/repository/." "$repo.tmp/"
  fi
  mv "$repo.tmp" "$repo"
fi
rm -rf "$repo/io/hellogrpc" # only what this checkout installs below

echo "it/consumer: installing hello-grpc $version and listing what its build resolves"
mvn -B -q -f "$root/pom.xml" -Dmaven.repo.local="$repo" "$@" install dependency:list \
  -pl "hello-bom,$libraries" -am \
  -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
  -DincludeScope=runtime -DoutputFile=target/runtime-dependencies.txt

echo "it/consumer: building the consumer against the installed artifacts"
mvn -B -f "$here/pom.xml" -Dmaven.repo.local="$repo" "$@" -Dhello-grpc.version="$version" \
  verify dependency:list -DoutputFile="$out/consumer-dependencies.txt"

# "   group:artifact:type[:classifier]:version:scope[ -- module ...]" -> "group:artifact:type[:classifier] version"
coordinates() {
  sed -n 's/^ *\([^ ]*:[^ ]*\).*/\1/p' "$@" | awk -F: '{
    key = $1 ":" $2 ":" $3; version = $4
    if (NF == 6) { key = key ":" $4; version = $5 }
    print key, version
  }' | sort -u
}

IFS=, read -r -a modules <<< "$libraries"
library_files=()
for module in "${modules[@]}"; do
  library_files+=("$root/$module/target/runtime-dependencies.txt")
done
coordinates "${library_files[@]}" > "$out/library-all.txt"
# dependency:list marks what a module declares optional, and what only that brings, "(optional)".
grep -hv ' (optional)' "${library_files[@]}" | coordinates > "$out/library.txt"
{ grep -h ' (optional)' "${library_files[@]}" || true; } | coordinates \
  | awk 'NR == FNR {required[$1]; next} !($1 in required)' "$out/library.txt" - \
  > "$out/library-optional.txt"
coordinates "$out/consumer-dependencies.txt" > "$out/consumer.txt"

problems=0
# The library's modules must agree: one version per artifact.
while read -r key; do
  echo "it/consumer: the library modules resolve $key at several versions:" \
    "$(awk -v k="$key" '$1 == k {print $2}' "$out/library.txt" | tr '\n' ' ')"
  problems=$((problems + 1))
done < <(awk '{print $1}' "$out/library-all.txt" | uniq -d)
# Every artifact the library resolves, the consumer resolves at the same version.
while read -r key built; do
  got="$(awk -v k="$key" '$1 == k {print $2}' "$out/consumer.txt")"
  if [ -z "$got" ]; then
    echo "it/consumer: the consumer does not get $key ($built in the library's build)"
    problems=$((problems + 1))
  elif [ "$got" != "$built" ]; then
    echo "it/consumer: the consumer resolves $key $got, the library's build $built"
    problems=$((problems + 1))
  fi
done < "$out/library.txt"
# What the library declares optional stays out of an application that did not ask for it.
while read -r key built; do
  if awk -v k="$key" '$1 == k {found = 1} END {exit !found}' "$out/consumer.txt"; then
    echo "it/consumer: the consumer gets $key, which the library declares optional"
    problems=$((problems + 1))
  fi
done < "$out/library-optional.txt"

# Each library jar names its module, as the module system reads it (README "Embedding").
for module in "${modules[@]}"; do
  jar="$repo/io/hellogrpc/$module/$version/$module-$version.jar"
  wanted="io.hellogrpc.${module#hello-}"
  named="$(jar --describe-module --file "$jar" 2>&1 | sed -n 's/^\([^@ ]*\)@.* automatic$/\1/p')" || true
  if [ "$named" != "$wanted" ]; then
    echo "it/consumer: $module's jar is the module '$named' on the module path, not $wanted"
    problems=$((problems + 1))
  fi
done

if [ "$problems" -ne 0 ]; then
  echo "it/consumer: FAILED, $problems problem(s) above"
  exit 1
fi
echo "it/consumer: $(wc -l < "$out/library.txt") library dependencies, all resolved by the consumer" \
  "at the library's versions ($(wc -l < "$out/consumer.txt") in its build, test tools included);" \
  "none of the $(wc -l < "$out/library-optional.txt") optional ones"
