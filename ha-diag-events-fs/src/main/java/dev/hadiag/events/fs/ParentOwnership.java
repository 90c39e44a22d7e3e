package dev.hadiag.events.fs;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * Gives an entry this process just created the owner, group and access of the directory it is in, so that it stays
 * writable by whoever owns that directory (the agent, UID 10001) whoever created it. Without this, {@code sudo ha-diag
 * check} leaves that day's event directory (or a new database file) owned by root, mode 0755, and the agent then
 * fails every write there with "permission denied".
 * <ul>
 *   <li>As root: the entry is given the directory's owner and group.</li>
 *   <li>As the directory's owner (the agent itself): the entry is its own; it is given the directory's group where the
 *       owner may give it, and kept as it is where not (never a failed write).</li>
 *   <li>As another user (one who may write in the directory through its group): the entry is given the directory's
 *       group, and the group may write in it where it may write in the directory. If the group cannot be given (the
 *       user is not in it), the entry is removed again and the reason thrown: the agent could not write there.</li>
 *   <li>A new directory also gets its parent's permission bits (setgid included).</li>
 * </ul>
 * Needs a POSIX file system with the {@code unix} attribute view (Linux); elsewhere nothing is changed.
 */
public final class ParentOwnership {

    private static final boolean UNIX = FileSystems.getDefault().supportedFileAttributeViews().contains("unix");
    private static final int PERMISSION_BITS = 07777;
    private static final int GROUP_WRITE = 0020;

    private ParentOwnership() {
    }

    /**
     * @param created a directory or regular file this process has just created
     * @throws FileSystemException naming {@code created} when it cannot be made writable for its directory's owner;
     *                             it has been removed then
     */
    public static void adopt(Path created) throws IOException {
        Path directory = created.toAbsolutePath().getParent();
        if (directory == null || !UNIX) {
            return;
        }
        Map<String, Object> parent = Files.readAttributes(directory, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
        Map<String, Object> own = Files.readAttributes(created, "unix:uid,gid,mode,isDirectory", LinkOption.NOFOLLOW_LINKS);
        int parentUid = (Integer) parent.get("uid");
        int parentGid = (Integer) parent.get("gid");
        int parentMode = (Integer) parent.get("mode") & PERMISSION_BITS;
        int uid = (Integer) own.get("uid");
        int gid = (Integer) own.get("gid");
        int mode = (Integer) own.get("mode") & PERMISSION_BITS;
        if (uid == 0 && parentUid != 0) {
            // root: the entry becomes the directory owner's own (chown needs root, which we are)
            Files.setAttribute(created, "unix:uid", parentUid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(created, "unix:gid", parentGid, LinkOption.NOFOLLOW_LINKS);
        } else if (uid == parentUid) {
            // the directory's owner (the agent) made it: it can write there whatever the group; the directory's group is
            // given where it can be, so readers through that group keep reading (never a reason to fail the write)
            if (gid != parentGid) {
                try {
                    Files.setAttribute(created, "unix:gid", parentGid, LinkOption.NOFOLLOW_LINKS);
                } catch (FileSystemException notInTheGroup) {
                    // kept as created: before, an agent outside its tree's group failed every event write from the next day on
                }
            }
        } else if (gid != parentGid) {
            try {
                Files.setAttribute(created, "unix:gid", parentGid, LinkOption.NOFOLLOW_LINKS);
            } catch (FileSystemException notInTheGroup) {
                Files.deleteIfExists(created);
                throw new FileSystemException(created.toString(), null, "created as uid " + uid + " gid " + gid + ", and it cannot be"
                        + " given the group of " + directory + " (gid " + parentGid + "): its owner, uid " + parentUid + " (the agent),"
                        + " could not write there; run ha-diag as uid " + parentUid + " or as root ("
                        + (notInTheGroup.getReason() == null ? notInTheGroup.getClass().getSimpleName() : notInTheGroup.getReason()) + ")");
            }
        }
        int wanted = (Boolean) own.get("isDirectory") ? parentMode : mode | (parentMode & GROUP_WRITE);
        if (wanted != mode) {
            Files.setAttribute(created, "unix:mode", wanted, LinkOption.NOFOLLOW_LINKS);
        }
    }
}
