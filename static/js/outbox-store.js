// The outbox's storage: IndexedDB, so queued work survives reloads, browser restarts and phone restarts.
const DB_NAME = "onsite";
export const DB_VERSION = 1;

let opening = null;

export function openDb() {
  if (!opening) {
    opening = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = (event) => migrate(request.result, event.oldVersion);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  return opening;
}

// One step per format version; a new app version adds a step here and never drops queued items.
function migrate(db, oldVersion) {
  if (oldVersion < 1) {
    const outbox = db.createObjectStore("outbox", { keyPath: "id" });
    outbox.createIndex("createdAt", "createdAt");
    db.createObjectStore("meta");
  }
}

function run(storeName, mode, work) {
  return openDb().then((db) => new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, mode);
    const result = work(tx.objectStore(storeName));
    tx.oncomplete = () => resolve(result && "result" in result ? result.result : result);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  }));
}

export const putItem = (item) => run("outbox", "readwrite", (store) => store.put(item));
export const deleteItem = (id) => run("outbox", "readwrite", (store) => store.delete(id));
export const getItem = (id) => run("outbox", "readonly", (store) => store.get(id));
export const allItems = () =>
  run("outbox", "readonly", (store) => store.index("createdAt").getAll());
export const getMeta = (key) => run("meta", "readonly", (store) => store.get(key));
export const setMeta = (key, value) => run("meta", "readwrite", (store) => store.put(value, key));
