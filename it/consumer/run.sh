#!/usr/bin/env bash
# A host application's build against the installed library (README "Embedding" and "Testing your
# application"), and a check that it resolves every dependency at the version the library's own
# build resolves. Extra arguments go to every mvn call (for instance -Dmaven.repo.local=...).
#
#   1. installs the library artifacts (tests and javadoc skipped: `mvn verify` ran them) and
#      lists what each library module resolves for its own main code (compile and runtime);
#   2. builds it/consumer, which depends on them only through hello-bom, compiles the README's
#      embedding example and Greeter, and runs GreeterTest (hello-testing) against them;
#   3. fails if the consumer resolves any artifact the library also resolves at another version,
#      if the library modules disagree among themselves, or if the consumer misses one.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
libraries=hello-api,hello-server,hello-client,hello-testing
version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/hello-bom/pom.xml" | head -n 1)"
out="$here/target"
rm -rf "$out"
mkdir -p "$out"

echo "it/consumer: installing hello-grpc $version and listing what its build resolves"
mvn -B -q -f "$root/pom.xml" "$@" install dependency:list \
  -pl "hello-bom,$libraries" -am \
  -DskipTests -Dmaven.javadoc.skip=true -Dmaven.source.skip=true \
  -DincludeScope=runtime -DoutputFile=target/runtime-dependencies.txt

echo "it/consumer: building the consumer against the installed artifacts"
mvn -B -f "$here/pom.xml" "$@" -Dhello-grpc.version="$version" \
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
coordinates "${library_files[@]}" > "$out/library.txt"
coordinates "$out/consumer-dependencies.txt" > "$out/consumer.txt"

problems=0
# The library's modules must agree: one version per artifact.
while read -r key; do
  echo "it/consumer: the library modules resolve $key at several versions:" \
    "$(awk -v k="$key" '$1 == k {print $2}' "$out/library.txt" | tr '\n' ' ')"
  problems=$((problems + 1))
done < <(awk '{print $1}' "$out/library.txt" | uniq -d)
# Every artifact the library resolves, the consumer resolves at the same version.
while read -r key version; do
  got="$(awk -v k="$key" '$1 == k {print $2}' "$out/consumer.txt")"
  if [ -z "$got" ]; then
    echo "it/consumer: the consumer does not get $key ($version in the library's build)"
    problems=$((problems + 1))
  elif [ "$got" != "$version" ]; then
    echo "it/consumer: the consumer resolves $key $got, the library's build $version"
    problems=$((problems + 1))
  fi
done < "$out/library.txt"

if [ "$problems" -ne 0 ]; then
  echo "it/consumer: FAILED, $problems dependency version(s) differ from the library's build"
  exit 1
fi
echo "it/consumer: $(wc -l < "$out/library.txt") library dependencies, all resolved by the consumer" \
  "at the library's versions ($(wc -l < "$out/consumer.txt") in its build, test tools included)"
