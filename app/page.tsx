export default function HomePage() {
  return (
    <main className="mx-auto max-w-3xl p-8">
      <h1 className="text-2xl font-semibold">sag-roam</h1>
      <p className="mt-2 text-slate-700">Roam Smart Access Gateway APP client accounts between instances.</p>
    </main>
  );
}
