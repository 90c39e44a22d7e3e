package dev.hadiag.core.testing;

import dev.hadiag.core.port.DiagnosticStore;

class InMemoryDiagnosticStoreTest extends DiagnosticStoreContract {

    @Override
    protected DiagnosticStore newStore() {
        return new InMemoryDiagnosticStore();
    }
}
