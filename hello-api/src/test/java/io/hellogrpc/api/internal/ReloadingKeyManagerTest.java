package io.hellogrpc.api.internal;

import static io.hellogrpc.testing.TestCertificates.NEXT_SERVER_CERT;
import static io.hellogrpc.testing.TestCertificates.NEXT_SERVER_KEY;
import static io.hellogrpc.testing.TestCertificates.RSA_SERVER_CERT;
import static io.hellogrpc.testing.TestCertificates.RSA_SERVER_KEY;
import static io.hellogrpc.testing.TestCertificates.SERVER_CERT;
import static io.hellogrpc.testing.TestCertificates.SERVER_KEY;
import static org.assertj.core.api.Assertions.assertThat;

import io.hellogrpc.testing.TestCertificates;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class ReloadingKeyManagerTest {
  private static TlsIdentity.KeyAndChain pair(TestCertificates chain, TestCertificates key) {
    return TlsIdentity.parse("chain", chain.bytes(), "key", key.bytes(), null);
  }

  @Test
  void aHandshakeThatChoseItsAliasBeforeAChangeGetsTheChainAndKeyOfThatAlias() {
    ReloadingKeyManager keyManager = new ReloadingKeyManager(pair(SERVER_CERT, SERVER_KEY));
    String before = keyManager.chooseEngineServerAlias("EC", null, null);

    keyManager.use(pair(NEXT_SERVER_CERT, NEXT_SERVER_KEY));
    String after = keyManager.chooseEngineServerAlias("EC", null, null);

    assertThat(after).isNotEqualTo(before);
    assertThat(keyManager.getCertificateChain(before)[0].getSerialNumber())
        .isEqualTo(BigInteger.valueOf(0x02));
    assertThat(keyManager.getPrivateKey(before)).isEqualTo(pair(SERVER_CERT, SERVER_KEY).key());
    assertThat(keyManager.getCertificateChain(after)[0].getSerialNumber())
        .isEqualTo(BigInteger.valueOf(0x11));
    assertThat(keyManager.getPrivateKey(after))
        .isEqualTo(pair(NEXT_SERVER_CERT, NEXT_SERVER_KEY).key());
    assertThat(keyManager.getPrivateKey("another")).isNull();
  }

  @Test
  void offersItsKeyOnlyForItsKeyType() {
    ReloadingKeyManager ec = new ReloadingKeyManager(pair(SERVER_CERT, SERVER_KEY));
    ReloadingKeyManager rsa = new ReloadingKeyManager(pair(RSA_SERVER_CERT, RSA_SERVER_KEY));

    assertThat(ec.chooseEngineServerAlias("RSA", null, null)).isNull();
    assertThat(ec.chooseEngineServerAlias("EC_RSA", null, null)).isNotNull();
    assertThat(ec.chooseEngineClientAlias(new String[] {"RSA", "EC"}, null, null)).isNotNull();
    assertThat(rsa.chooseServerAlias("RSA", null, null)).isNotNull();
    assertThat(rsa.chooseServerAlias("EC", null, null)).isNull();
    assertThat(rsa.getClientAliases("RSA", null)).hasSize(1);
  }
}
