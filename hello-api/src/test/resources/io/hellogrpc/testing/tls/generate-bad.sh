#!/usr/bin/env bash
# Regenerates the material for the bad-configuration tests with openssl, leaving generate.sh's
# certificates alone: a second CA that signed none of them, certificates it signed, a key that
# matches no certificate, and keys in the formats the library refuses. Run once and commit the
# output: tests never generate certificates. Valid from 2020 to 2120.
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
echo 01 > "$work/serial"

# sign NAME SUBJECT EXTENSIONS ALGORITHM [-selfsign]: a PKCS#8 key and its certificate, signed by
# other-ca (or by itself).
sign() {
  local name=$1 subject=$2 extensions=$3 algorithm=$4 issuer=(-cert other-ca.pem -keyfile "$work/other-ca.key")
  if [[ $algorithm == RSA ]]; then
    openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/$name.key"
  else
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/$name.key"
  fi
  openssl req -new -key "$work/$name.key" -subj "$subject" -out "$work/$name.csr"
  printf '[x]\n%s\n' "$extensions" > "$work/$name.ext"
  if [[ ${5:-} == -selfsign ]]; then issuer=(-selfsign -keyfile "$work/$name.key"); fi
  openssl ca -batch -config "$work/ca.cnf" "${issuer[@]}" -in "$work/$name.csr" \
    -startdate 20200101000000Z -enddate 21200101000000Z -extfile "$work/$name.ext" -extensions x \
    -notext -out "$name.pem" 2>/dev/null
}

# A CA that signed none of generate.sh's certificates: a client trusting it refuses server.pem.
sign other-ca "/CN=hello-grpc other test CA" "basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign" EC -selfsign

# Trusted through other-ca, but for another host than the tests connect to.
sign elsewhere "/CN=elsewhere.example" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature
extendedKeyUsage=serverAuth
subjectAltName=DNS:elsewhere.example" EC
cp "$work/elsewhere.key" elsewhere.key

# An RSA server certificate for localhost, its key in PKCS#8 and in PKCS#1 (BEGIN RSA PRIVATE KEY).
sign rsa-server "/CN=localhost" "basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth
subjectAltName=DNS:localhost,IP:127.0.0.1" RSA
cp "$work/rsa-server.key" rsa-server.key
openssl pkey -in rsa-server.key -traditional -out rsa-server.pkcs1.key

# server.key (generate.sh) as SEC1 (BEGIN EC PRIVATE KEY), and encrypted PKCS#8.
openssl pkey -in server.key -traditional -out server.sec1.key
openssl pkcs8 -topk8 -in server.key -passout pass:hello -out server.encrypted.key

# Keys of no certificate here: paired with server.pem, client.pem or rsa-server.pem they do not
# match.
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out unrelated.key
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out unrelated-rsa.key
