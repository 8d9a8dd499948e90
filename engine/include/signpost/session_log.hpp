#pragma once
// Sessions recorded durably in SQLite (owned by the session-log work; placeholder).
