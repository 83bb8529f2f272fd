"""The user data folders, as ``refresh`` knew them: now ``rt2gaps.snapshot.userdata`` (the snapshot layer).

Kept so that ``from rt2gaps.refresh.userdata import ...`` still works; new code imports the snapshot module.
"""

from rt2gaps.snapshot.userdata import (  # noqa: F401
    APP_NAME,
    CACHE_ENV,
    DATA_ENV,
    LOCK_NAME,
    PREVIOUS_NAME,
    REFRESH_KEY,
    SNAPSHOT_NAME,
    cache_dir,
    checked_refresh_block,
    current_snapshot_dir,
    data_dir,
    describe_snapshot_dir,
    file_checksums,
    finish_interrupted_update,
    newest_valid_snapshot,
    previous_snapshot_dir,
    read_refresh_block,
    update_lock,
    user_snapshot_dir,
)
