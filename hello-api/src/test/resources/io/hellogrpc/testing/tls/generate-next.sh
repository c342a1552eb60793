#!/usr/bin/env bash
# Regenerates the material for the certificate-rotation tests with openssl, leaving the other
# scripts' certificates alone: a next CA, as after a CA rotation, and a server and a client
# certificate it signed, as generate.sh makes them under ca.pem. Run once and commit the output:
# tests never generate certificates. Valid from 2020 to 2120.
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
[any]
commonName = supplied
CNF
# Serials from 0x10 on, so that no certificate here shares one with generate.sh's.
echo 10 > "$work/serial"

# sign NAME SUBJECT EXTENSIONS [-selfsign]: a PKCS#8 EC key and its certificate, signed by next-ca.
sign() {
  local name=$1 subject=$2 extensions=$3 issuer=(-cert next-ca.pem -keyfile "$work/next-ca.key")
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$name.key"
  openssl req -new -key "$work/$name.key" -subj "$subject" -out "$work/$name.csr"
  printf '[x]\n%s\n' "$extensions" > "$work/$name.ext"
  if [[ ${4:-} == -selfsign ]]; then issuer=(-selfsign -keyfile "$work/$name.key"); fi
  openssl ca -batch -config "$work/ca.cnf" "${issuer[@]}" -in "$work/$name.csr" \
    -startdate 20200101000000Z -enddate 21200101000000Z -extfile "$work/$name.ext" -extensions x \
    -notext -out "$name.pem" 2>/dev/null
}

sign next-ca "/CN=hello-grpc next test CA" "basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign" -selfsign

sign next-server "/CN=localhost" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1"
cp "$work/next-server.key" next-server.key

sign next-client "/CN=hello-grpc next test client" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=clientAuth"
cp "$work/next-client.key" next-client.key
