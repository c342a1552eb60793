package io.hellogrpc.server;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;

/**
 * Who the client's certificate says it is, under mutual TLS (see
 * {@link HelloServer.Builder#requireClientCertificates(java.nio.file.Path)}): its subject and its
 * subject alternative names (SANs), read once per connection. Handlers get it from
 * {@link Caller#clientCertificate()} or {@link ServerSession#clientCertificate()}.
 *
 * <p>The TLS handshake has already checked the certificate against the trusted CA; this only says
 * what it names.
 */
public final class ClientCertificate {
  private final X509Certificate certificate;
  private final String subject;
  private final String commonName;
  private final List<String> dnsNames;
  private final List<String> uris;
  private final List<String> emails;
  private final List<String> ipAddresses;

  private ClientCertificate(X509Certificate certificate) {
    this.certificate = certificate;
    this.subject = certificate.getSubjectX500Principal().getName();
    this.commonName = commonNameOf(subject);
    List<String> dns = new ArrayList<>();
    List<String> uri = new ArrayList<>();
    List<String> email = new ArrayList<>();
    List<String> ip = new ArrayList<>();
    for (List<?> name : alternativeNames(certificate)) {
      if (name.size() < 2 || !(name.get(0) instanceof Integer type)
          || !(name.get(1) instanceof String value)) {
        continue; // other names and X.400 addresses come as bytes: not what a principal is
      }
      switch (type) {
        case 1 -> email.add(value);
        case 2 -> dns.add(value);
        case 6 -> uri.add(value);
        case 7 -> ip.add(value);
        default -> {}
      }
    }
    this.dnsNames = List.copyOf(dns);
    this.uris = List.copyOf(uri);
    this.emails = List.copyOf(email);
    this.ipAddresses = List.copyOf(ip);
  }

  /**
   * What {@code certificate} names: for the tests of a {@link CertificatePrincipal}.
   *
   * @param certificate the certificate, as the connection presented it
   * @return what handlers see of it
   */
  public static ClientCertificate of(X509Certificate certificate) {
    return new ClientCertificate(Objects.requireNonNull(certificate, "certificate"));
  }

  private static Collection<List<?>> alternativeNames(X509Certificate certificate) {
    try {
      Collection<List<?>> names = certificate.getSubjectAlternativeNames();
      return names == null ? List.of() : names;
    } catch (CertificateParsingException e) {
      return List.of(); // the handshake accepted it; a SAN extension the JDK cannot read names none
    }
  }

  private static String commonNameOf(String subject) {
    try {
      List<Rdn> rdns = new LdapName(subject).getRdns();
      for (int i = rdns.size() - 1; i >= 0; i--) { // LdapName lists the most significant first
        if (rdns.get(i).getType().equalsIgnoreCase("CN")) {
          return String.valueOf(rdns.get(i).getValue());
        }
      }
    } catch (InvalidNameException e) {
      // An RFC 2253 name from the JDK always parses; without a CN there is none to give.
    }
    return null;
  }

  /**
   * The subject's distinguished name, RFC 2253, such as {@code "CN=orders,O=Example"}.
   *
   * @return the subject distinguished name
   */
  public String subject() {
    return subject;
  }

  /**
   * The subject's common name ({@code CN}), if it has one.
   *
   * @return the common name, or empty
   */
  public Optional<String> commonName() {
    return Optional.ofNullable(commonName);
  }

  /**
   * The DNS names among the SANs, in the certificate's order.
   *
   * @return the DNS names, in order; empty if none
   */
  public List<String> dnsNames() {
    return dnsNames;
  }

  /**
   * The URIs among the SANs, such as a SPIFFE ID {@code spiffe://example.org/ns/prod/sa/orders}.
   *
   * @return the URIs, in order; empty if none
   */
  public List<String> uris() {
    return uris;
  }

  /**
   * The e-mail addresses (RFC 822 names) among the SANs.
   *
   * @return the e-mail addresses, in order; empty if none
   */
  public List<String> emails() {
    return emails;
  }

  /**
   * The IP addresses among the SANs, as text.
   *
   * @return the IP addresses, in order; empty if none
   */
  public List<String> ipAddresses() {
    return ipAddresses;
  }

  /**
   * The certificate itself, for anything else it says (issuer, validity, extensions).
   *
   * @return the certificate itself
   */
  public X509Certificate x509() {
    return certificate;
  }

  /**
   * The principal a server that requires client certificates gives a call when no
   * {@link CertificatePrincipal} is set: the first DNS name, else the first URI, else the common
   * name; empty if the certificate has none of them.
   *
   * @return the principal, or empty if the certificate has none of them
   */
  public Optional<String> defaultPrincipal() {
    if (!dnsNames.isEmpty()) {
      return Optional.of(dnsNames.get(0));
    }
    if (!uris.isEmpty()) {
      return Optional.of(uris.get(0));
    }
    return commonName();
  }

  @Override
  public String toString() {
    return "ClientCertificate{subject=" + subject + ", dnsNames=" + dnsNames + ", uris=" + uris
        + ", emails=" + emails + ", ipAddresses=" + ipAddresses + "}";
  }
}
