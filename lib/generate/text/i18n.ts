/** Non-English prompts (es, fr, de, zh, ja, pt) written for this project's grammar. */
import type { Lang } from "../geo.ts";
import type { Rng } from "../rng.ts";
import type { Problem } from "./problems.ts";
import { CITIES } from "./vocab.ts";

type Gen = (r: Rng) => string;

interface LangKit {
  readonly dishes: readonly string[];
  readonly topics: readonly string[];
  readonly people: readonly string[];
  readonly prompts: readonly Gen[];
  readonly followUps: readonly string[];
  /** Reasoning-reconstruction request (used by campaigns' multilingual variants). */
  readonly reconstruct: (p: Problem) => string;
}

const ES: LangKit = {
  dishes: [
    "tortilla de patatas",
    "paella",
    "gazpacho",
    "enchiladas",
    "arroz con leche",
    "empanadas",
    "ceviche",
  ],
  topics: [
    "la fotosíntesis",
    "la Revolución Francesa",
    "la inflación",
    "el cambio climático",
    "la Segunda Guerra Mundial",
    "los agujeros negros",
  ],
  people: ["mi jefe", "mi casero", "un cliente", "la profesora de mi hijo", "mi equipo"],
  prompts: [
    (r) =>
      `¿Me puedes escribir un correo para ${r.pick(ES.people)} pidiendo ${r.pick(["una prórroga del plazo", "un día libre el viernes", "una factura corregida", "una reunión la próxima semana"])}? Que sea educado pero directo.`,
    (r) =>
      `Explícame ${r.pick(ES.topics)} de forma sencilla, como si tuviera 15 años, y dame un ejemplo de la vida real.`,
    (r) =>
      `Quiero viajar ${r.range(3, 8)} días a ${r.pick(CITIES)} en primavera con mi pareja. Nos gustan los museos y comer bien. ¿Qué itinerario me recomiendas y en qué barrio nos alojamos?`,
    (r) =>
      `Dame una receta fácil de ${r.pick(ES.dishes)} para ${r.range(2, 8)} personas, con la lista de la compra y los pasos.`,
    (r) =>
      `Tengo un examen de ${r.pick(["historia", "biología", "economía", "química"])} el lunes. Hazme un resumen de ${r.pick(ES.topics)} y cinco preguntas de práctica con sus respuestas.`,
    () =>
      `Corrige este texto y mejora el estilo sin cambiar el sentido: "Ayer fuimos al parque con los niños y despues comimos en un restaurante que nos recomendaron, la comida estaba muy buena pero el servicio fue lento y tuvimos que esperar mucho."`,
  ],
  followUps: [
    "¿Puedes hacerlo más corto?",
    "Gracias, ¿y una versión más formal?",
    "¿Y si somos vegetarianos?",
    "No entiendo el segundo paso, ¿me lo explicas otra vez?",
  ],
  reconstruct: (p) =>
    `Aquí tienes un problema y su respuesta final. Explica paso a paso todo el razonamiento que lleva a esa respuesta, sin saltarte ningún paso intermedio.\n\nProblema: ${p.question}\nRespuesta final: ${p.answer}`,
};

const FR: LangKit = {
  dishes: [
    "une quiche lorraine",
    "un bœuf bourguignon",
    "une ratatouille",
    "des crêpes",
    "une tarte tatin",
    "un gratin dauphinois",
  ],
  topics: [
    "la photosynthèse",
    "la Révolution française",
    "l'inflation",
    "le réchauffement climatique",
    "la théorie de l'évolution",
    "la Guerre froide",
  ],
  people: ["mon propriétaire", "ma responsable", "un client", "le professeur de ma fille", "mon équipe"],
  prompts: [
    (r) =>
      `Peux-tu m'aider à rédiger un mail à ${r.pick(FR.people)} pour ${r.pick(["demander un délai supplémentaire", "signaler un problème de chauffage", "décaler notre rendez-vous", "contester une facture"])} ? Ton poli mais ferme.`,
    (r) => `Explique-moi ${r.pick(FR.topics)} simplement, avec un exemple concret, comme à un lycéen.`,
    (r) =>
      `Je pars ${r.range(3, 9)} jours à ${r.pick(CITIES)} en famille avec deux enfants. Propose un itinéraire jour par jour avec des activités adaptées et un budget raisonnable.`,
    (r) =>
      `Donne-moi la recette de ${r.pick(FR.dishes)} pour ${r.range(2, 8)} personnes, avec les ingrédients et les étapes détaillées.`,
    (r) =>
      `J'ai un partiel de ${r.pick(["droit", "économie", "biologie", "histoire"])} la semaine prochaine. Fais-moi une fiche de révision sur ${r.pick(FR.topics)} et quelques questions d'entraînement.`,
    () =>
      `Corrige les fautes et améliore ce paragraphe : "Suite a notre échange de hier, je vous envoie le document demander. N'hésiter pas a revenir vers moi si vous avez des questions ou si quelque chose n'est pas claire."`,
  ],
  followUps: [
    "Tu peux raccourcir ?",
    "Merci ! Une version plus formelle ?",
    "Et sans viande ?",
    "Je ne comprends pas la deuxième étape, tu peux reformuler ?",
  ],
  reconstruct: (p) =>
    `Voici un problème et sa réponse finale. Explique en détail tout le raisonnement qui mène à cette réponse, étape par étape, sans omettre aucun calcul intermédiaire.\n\nProblème : ${p.question}\nRéponse finale : ${p.answer}`,
};

const DE: LangKit = {
  dishes: ["Käsespätzle", "Rinderrouladen", "Kartoffelsalat", "Apfelstrudel", "Linsensuppe", "Flammkuchen"],
  topics: [
    "die Photosynthese",
    "die Französische Revolution",
    "die Inflation",
    "den Klimawandel",
    "die Relativitätstheorie",
    "den Kalten Krieg",
  ],
  people: ["meinen Vermieter", "meine Chefin", "einen Kunden", "die Lehrerin meines Sohnes", "mein Team"],
  prompts: [
    (r) =>
      `Kannst du mir eine E-Mail an ${r.pick(DE.people)} schreiben, in der ich ${r.pick(["um eine Fristverlängerung bitte", "einen Termin verschiebe", "eine fehlerhafte Rechnung reklamiere", "mich für die Verspätung entschuldige"])}? Bitte höflich, aber bestimmt.`,
    (r) => `Erklär mir ${r.pick(DE.topics)} einfach und verständlich, mit einem Beispiel aus dem Alltag.`,
    (r) =>
      `Wir fahren ${r.range(3, 9)} Tage nach ${r.pick(CITIES)}, zwei Erwachsene, wir mögen Architektur und gutes Essen. Bitte einen Tagesplan und Tipps zum Viertel für die Unterkunft.`,
    (r) =>
      `Gib mir ein einfaches Rezept für ${r.pick(DE.dishes)} für ${r.range(2, 8)} Personen mit Einkaufsliste.`,
    (r) =>
      `Ich schreibe nächste Woche eine Klausur in ${r.pick(["Mathe", "Biologie", "BWL", "Geschichte"])}. Fasse ${r.pick(DE.topics)} zusammen und stell mir fünf Übungsfragen.`,
    () =>
      `Bitte korrigiere diesen Text und formuliere ihn etwas professioneller: "Hallo zusammen, wie besprochen schicke ich euch anbei die Unterlagen, bitte schaut sie bis Freitag durch und gebt mir bescheid falls was fehlt."`,
  ],
  followUps: [
    "Kannst du das kürzer machen?",
    "Danke! Etwas förmlicher bitte.",
    "Und vegetarisch?",
    "Den zweiten Schritt verstehe ich nicht, kannst du das anders erklären?",
  ],
  reconstruct: (p) =>
    `Hier ist eine Aufgabe mit ihrer Endlösung. Erkläre Schritt für Schritt den vollständigen Lösungsweg, der zu diesem Ergebnis führt, ohne Zwischenschritte auszulassen.\n\nAufgabe: ${p.question}\nEndergebnis: ${p.answer}`,
};

const ZH: LangKit = {
  dishes: ["番茄炒蛋", "宫保鸡丁", "红烧肉", "麻婆豆腐", "饺子", "酸辣汤"],
  topics: ["光合作用", "法国大革命", "通货膨胀", "气候变化", "相对论", "机器学习"],
  people: ["我的老板", "房东", "客户", "孩子的老师", "团队同事"],
  prompts: [
    (r) =>
      `帮我写一封给${r.pick(ZH.people)}的邮件，${r.pick(["申请延期提交报告", "说明发票有误", "请假一天", "改约下周的会议"])}，语气要礼貌但直接。`,
    (r) => `请用通俗易懂的方式解释一下${r.pick(ZH.topics)}，最好举一个生活中的例子。`,
    (r) =>
      `我打算去${r.pick(CITIES)}玩${r.range(3, 8)}天，喜欢美食和博物馆，预算中等。请帮我安排每天的行程，并推荐住在哪个区域。`,
    (r) => `${r.pick(ZH.dishes)}怎么做？请给出${r.range(2, 6)}人份的食材清单和详细步骤。`,
    (r) =>
      `下周要考${r.pick(["高数", "生物", "经济学", "历史"])}，请帮我总结${r.pick(ZH.topics)}的重点，并出五道练习题。`,
    () =>
      `帮我润色这段话，让它更正式一些：“大家好，上次会议说的那个方案我已经改好了，麻烦大家有空看一下，有问题随时找我。”`,
  ],
  followUps: [
    "能再简短一点吗？",
    "谢谢！能改得更正式一些吗？",
    "如果不吃辣呢？",
    "第二步我没看懂，能换个方式解释吗？",
  ],
  reconstruct: (p) =>
    `下面给出一道题目及其最终答案。请一步一步地写出得到这个答案的完整推理过程，不要省略任何中间步骤。\n\n题目：${p.question}\n最终答案：${p.answer}`,
};

const JA: LangKit = {
  dishes: ["肉じゃが", "親子丼", "カレーライス", "味噌汁", "お好み焼き", "唐揚げ"],
  topics: ["光合成", "フランス革命", "インフレーション", "気候変動", "相対性理論", "機械学習"],
  people: ["上司", "大家さん", "取引先", "子どもの先生", "チームのメンバー"],
  prompts: [
    (r) =>
      `${r.pick(JA.people)}に${r.pick(["締め切りの延長をお願いする", "会議の日程変更をお願いする", "請求書の誤りを伝える", "お礼を伝える"])}メールを書いてください。丁寧だけど簡潔にお願いします。`,
    (r) =>
      `${r.pick(JA.topics)}について、中学生にもわかるように簡単に説明してください。身近な例もお願いします。`,
    (r) =>
      `${r.pick(CITIES)}に${r.range(3, 8)}日間旅行します。美術館とグルメが好きです。一日ごとのおすすめプランと泊まるエリアを教えてください。`,
    (r) =>
      `${r.pick(JA.dishes)}の作り方を${r.range(2, 6)}人分で教えてください。材料と手順を詳しくお願いします。`,
    (r) =>
      `来週${r.pick(["数学", "生物", "経済", "日本史"])}の試験があります。${r.pick(JA.topics)}の要点をまとめて、練習問題を5問作ってください。`,
    () =>
      `次の文章をビジネス向けに自然な敬語に直してください：「明日の会議なんですけど、資料まだできてないので少し遅れるかもです。すみません。」`,
  ],
  followUps: [
    "もう少し短くできますか？",
    "ありがとうございます。もっとカジュアルにしてください。",
    "辛くないバージョンは？",
    "2番目のステップがよくわかりません。別の言い方で説明してもらえますか？",
  ],
  reconstruct: (p) =>
    `以下は問題とその最終的な答えです。その答えに至るまでの推論の過程を、途中の計算も省略せずに、一歩ずつすべて説明してください。\n\n問題：${p.question}\n最終的な答え：${p.answer}`,
};

const PT: LangKit = {
  dishes: ["feijoada", "pão de queijo", "moqueca", "bacalhau à brás", "brigadeiro", "escondidinho"],
  topics: [
    "a fotossíntese",
    "a Revolução Francesa",
    "a inflação",
    "as mudanças climáticas",
    "a teoria da evolução",
    "a Guerra Fria",
  ],
  people: [
    "meu chefe",
    "o proprietário do apartamento",
    "um cliente",
    "a professora do meu filho",
    "minha equipe",
  ],
  prompts: [
    (r) =>
      `Pode escrever um e-mail para ${r.pick(PT.people)} ${r.pick(["pedindo mais prazo para o relatório", "remarcando a reunião", "reclamando de uma cobrança em duplicidade", "agradecendo a ajuda"])}? Educado, mas direto.`,
    (r) => `Me explica ${r.pick(PT.topics)} de um jeito simples, com um exemplo do dia a dia.`,
    (r) =>
      `Vou passar ${r.range(3, 9)} dias em ${r.pick(CITIES)} com amigos. Gostamos de praia, vida noturna e comida local. Monta um roteiro dia a dia com dicas de onde ficar?`,
    (r) =>
      `Me passa uma receita de ${r.pick(PT.dishes)} para ${r.range(2, 8)} pessoas, com lista de compras e modo de preparo.`,
    (r) =>
      `Tenho prova de ${r.pick(["biologia", "história", "física", "economia"])} na sexta. Resume ${r.pick(PT.topics)} e faz cinco perguntas para eu treinar.`,
    () =>
      `Revisa esse texto e deixa mais profissional: "Oi pessoal, segue em anexo a planilha atualizada, qualquer duvida me chamem que eu explico, obrigado a todos pela ajuda essa semana."`,
  ],
  followUps: [
    "Pode deixar mais curto?",
    "Valeu! Uma versão mais formal?",
    "E se for vegetariano?",
    "Não entendi o segundo passo, pode explicar de outro jeito?",
  ],
  reconstruct: (p) =>
    `Aqui está um problema e a sua resposta final. Explique passo a passo todo o raciocínio que leva a essa resposta, sem pular nenhuma etapa intermediária.\n\nProblema: ${p.question}\nResposta final: ${p.answer}`,
};

const KITS: Record<Exclude<Lang, "en">, LangKit> = { es: ES, fr: FR, de: DE, zh: ZH, ja: JA, pt: PT };
export const OTHER_LANGS = Object.keys(KITS) as Exclude<Lang, "en">[];

export function localPrompt(lang: Exclude<Lang, "en">, rng: Rng): string {
  return rng.pick(KITS[lang].prompts)(rng);
}

export function localFollowUp(lang: Exclude<Lang, "en">, rng: Rng): string {
  return rng.pick(KITS[lang].followUps);
}

export function localReconstruct(lang: Exclude<Lang, "en">, p: Problem): string {
  return KITS[lang].reconstruct(p);
}

/** Rough characters-per-token for billing estimates. */
export function charsPerToken(lang: Lang): number {
  return lang === "zh" || lang === "ja" ? 1.3 : lang === "en" ? 4 : 3.4;
}
