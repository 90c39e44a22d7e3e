package dev.hadiag.core.testing;

import dev.hadiag.core.port.DiagnosticStore;
import dev.hadiag.core.store.CheckRun;
import java.util.List;

class InMemoryDiagnosticStoreTest extends DiagnosticStoreContract {

    @Override
    protected DiagnosticStore newStore() {
        return new InMemoryDiagnosticStore();
    }

    @Override
    protected List<CheckRun> runs(String check) {
        return ((InMemoryDiagnosticStore) store).recentRuns(check, Integer.MAX_VALUE);
    }
}
