package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.client.protocol.FileState;
import dev.liveupdate.luo.sys.FileStat;
import java.util.List;
import org.junit.jupiter.api.Test;

class DistinctFilesTest {
    private static HeldFile file(long token, FileStat stat) {
        HeldFile f = new HeldFile("vm", token, -1, SimNode.ROOT.owner(), 0, FileState.Preserved);
        f.stat = stat;
        return f;
    }

    @Test
    void tokensOfOneInodeAreOneFileAndUnknownIdentitiesCountAlone() {
        FileStat memfd = new FileStat(1, 100, 0100600, 10);
        FileStat other = new FileStat(1, 101, 0100600, 10);
        FileStat sameInodeOtherDevice = new FileStat(2, 100, 0100600, 10);
        DistinctFiles d = DistinctFiles.of(List.of(file(1, memfd), file(2, new FileStat(1, 100, 0100600, 10)), file(3, other),
                file(4, sameInodeOtherDevice), file(5, null), file(6, null)));
        assertThat(d.count()).isEqualTo(5);
        assertThat(d.sharedTokens()).containsExactly("tokens 1,2 are one file");
        assertThat(DistinctFiles.of(List.of()).count()).isZero();
    }
}
