#!/usr/bin/env bash
# Regenerates the client certificates that carry an identity, for the tests of what handlers see
# under mutual TLS, leaving the other scripts' files alone: a CA of their own and two client
# certificates it signed, one with every kind of subject alternative name, one with a URI only.
# Run once and commit the output: tests never generate certificates. Valid from 2020 to 2120.
set -euo pipefail
cd "$(dirname "$0")"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
touch "$work/index.txt"
cat > "$work/ca.cnf" <<CNF
[ca]
default_ca = test
[test]
database = $work/index.txt
new_certs_dir = $work
serial = $work/serial
default_md = sha256
policy = any
unique_subject = no
copy_extensions = none
preserve = yes
[any]
commonName = supplied
organizationName = optional
CNF
echo 01 > "$work/serial"

# sign NAME SUBJECT EXTENSIONS [-selfsign]: a PKCS#8 EC key and its certificate, signed by
# identity-ca (or by itself).
sign() {
  local name=$1 subject=$2 extensions=$3 issuer=(-cert identity-ca.pem -keyfile "$work/identity-ca.key")
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$name.key"
  openssl req -new -key "$work/$name.key" -subj "$subject" -out "$work/$name.csr"
  printf '[x]\n%s\n' "$extensions" > "$work/$name.ext"
  if [[ ${4:-} == -selfsign ]]; then issuer=(-selfsign -keyfile "$work/$name.key"); fi
  openssl ca -batch -config "$work/ca.cnf" "${issuer[@]}" -in "$work/$name.csr" \
    -startdate 20200101000000Z -enddate 21200101000000Z -extfile "$work/$name.ext" -extensions x \
    -notext -out "$name.pem" 2>/dev/null
}

sign identity-ca "/CN=hello-grpc identity test CA" "basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign" -selfsign

# A workload's certificate as a mesh or an internal CA issues them: every kind of SAN.
sign identity-client "/O=Example/CN=orders" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
subjectAltName=DNS:orders.example.internal,DNS:orders,URI:spiffe://example.org/ns/prod/sa/orders,email:orders@example.org,IP:10.1.2.3"
cp "$work/identity-client.key" identity-client.key

# A SPIFFE-style certificate: a URI and no DNS name.
sign identity-uri-client "/CN=billing" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth
subjectAltName=URI:spiffe://example.org/ns/prod/sa/billing"
cp "$work/identity-uri-client.key" identity-uri-client.key
